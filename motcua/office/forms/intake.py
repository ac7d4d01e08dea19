"""The counter intake form: applicant, channel, return, and the checklist of the version in force."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Sex
from motcua.catalogue.models import CopyKind, DocumentRequirement, Fee, ProcedureVersion
from motcua.core import bounds
from motcua.core.bounds import BoundedDate, BoundedText, column_limit
from motcua.dossiers.actions import Applicant, Document, SupplementItem
from motcua.dossiers.consent_form import ConsentFields
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    CounterGuidance,
    Dossier,
    IdType,
    Refusal,
    ReturnMethod,
    Shipment,
)

BAD_DATE = _("Ngày không hợp lệ (NNNN-TT-NN).")
BAD_CHOICE = {"invalid_choice": _("Lựa chọn không hợp lệ.")}


@dataclass(frozen=True)
class ChecklistRow:
    """One requirement of the checklist with its tick box ("đã nhận" / "xuất trình") and upload."""

    requirement: DocumentRequirement
    received: forms.BoundField
    upload: forms.BoundField | None
    missing: bool

    @property
    def present_only(self) -> bool:
        return self.requirement.kind == CopyKind.PRESENT


def fee_label(fee: Fee) -> str:
    if fee.amount_vnd is None:
        return f"{fee.name} ({fee.get_basis_display()})"
    if fee.amount_vnd == 0:
        return f"{fee.name} ({_('miễn')})"
    return f"{fee.name}: {fee.amount_vnd:,} đ".replace(",", ".")


def text(label: Any, model: type[models.Model], column: str, *, letters: bool = False, **attrs: Any) -> BoundedText:
    """Optional one-line text bounded like ``model.column``: what is required is the action's decision."""
    limit = column_limit(model, column)
    return BoundedText(label=label, max_length=limit, letters=letters, widget=forms.TextInput(attrs=attrs))


def area(label: Any, model: type[models.Model], column: str, **attrs: Any) -> BoundedText:
    limit = column_limit(model, column)
    widget = forms.Textarea(attrs={"rows": 3, **attrs})
    return BoundedText(label=label, max_length=limit, multiline=True, widget=widget)


class IntakeForm(ConsentFields):  # the consent asked of the applicant at the desk
    kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
        error_messages={**BAD_CHOICE, "required": _("Chọn cá nhân hay tổ chức.")},
    )
    name = text(_("Họ và tên"), Dossier, "applicant_name", letters=True, autocomplete="name")
    id_type = forms.ChoiceField(
        label=_("Loại giấy tờ tùy thân"),
        choices=IdType.choices,
        initial=IdType.NATIONAL_ID,
        required=False,
        error_messages=BAD_CHOICE,
    )
    national_id = text(_("Số định danh cá nhân"), Dossier, "applicant_national_id", autocomplete="off")
    birth_date = BoundedDate(
        label=_("Ngày sinh"),
        required=False,
        low=bounds.EARLIEST_BIRTH,
        high=bounds.LATEST_DATE,
        error_messages={"invalid": BAD_DATE},
    )
    sex = forms.ChoiceField(
        label=_("Giới tính"), required=False, choices=[("", "—"), *Sex.choices], error_messages=BAD_CHOICE
    )
    address = text(_("Địa chỉ"), Dossier, "applicant_address", autocomplete="street-address")
    phone = text(_("Điện thoại"), Dossier, "applicant_phone", inputmode="tel", autocomplete="tel")
    email = text(_("Thư điện tử"), Dossier, "applicant_email", inputmode="email", autocomplete="email")
    org_name = text(_("Tên tổ chức"), Dossier, "org_name", letters=True)
    org_tax_code = text(_("Mã số thuế"), Dossier, "org_tax_code", inputmode="numeric")
    subject = area(_("Nội dung yêu cầu giải quyết"), Dossier, "subject")
    channel = forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.COUNTER.value, Channel.COUNTER.label), (Channel.POSTAL.value, Channel.POSTAL.label)],
        coerce=int,
        initial=Channel.COUNTER.value,
        widget=forms.RadioSelect,
        error_messages={**BAD_CHOICE, "required": _("Chọn hình thức nộp.")},
    )
    inbound_item_code = text(_("Mã bưu gửi"), Shipment, "item_code")
    return_method = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.COUNTER,
        required=False,
        error_messages=BAD_CHOICE,
    )
    return_address = text(_("Địa chỉ nhận kết quả"), Dossier, "return_address")
    reasons = area(_("Lý do từ chối tiếp nhận"), Refusal, "reasons")
    fees = forms.TypedMultipleChoiceField(
        label=_("Phí, lệ phí phải nộp"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages=BAD_CHOICE,
    )
    other_items = area(_("Giấy tờ khác cần bổ sung (mỗi dòng một giấy tờ)"), CounterGuidance, "reason")
    guidance_reason = area(_("Ghi chú hướng dẫn"), CounterGuidance, "reason")

    def __init__(
        self,
        *args: Any,
        version: ProcedureVersion,
        bodies: Sequence[Agency] = (),
        initial_body: Agency | None = None,
        missing: list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        # The competent bodies the desk may receive this procedure for today (the actions' list): the
        # clerk sees which one, and chooses when there are several.
        self.fields["competent_agency"] = forms.ModelChoiceField(
            label=_("Cơ quan có thẩm quyền giải quyết"),
            queryset=Agency.objects.filter(pk__in=[a.pk for a in bodies]),
            required=False,
            initial=initial_body,
            empty_label="—",
            error_messages=BAD_CHOICE,
        )
        self.missing = set(missing or [])
        self.requirements = list(version.documents.order_by("order", "pk"))
        fees = self.fields["fees"]
        assert isinstance(fees, forms.TypedMultipleChoiceField)
        fees.choices = [(fee.pk, fee_label(fee)) for fee in version.fees.order_by("order", "pk")]
        if not version.foreign_ids_allowed:
            # Only the 12-digit number for this procedure: no choice to offer.
            del self.fields["id_type"]
        else:
            self.fields["national_id"].label = _("Số giấy tờ tùy thân")
        for req in self.requirements:
            label = _("Đã xuất trình") if req.kind == CopyKind.PRESENT else _("Đã nhận")
            self.fields[f"doc_{req.pk}"] = forms.BooleanField(label=label, required=False)
            if req.kind != CopyKind.PRESENT:
                self.fields[f"file_{req.pk}"] = forms.FileField(
                    label=_("Bản chụp (PDF, JPG, PNG)"),
                    required=False,
                    widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
                )

    def checklist(self) -> list[ChecklistRow]:
        return [
            ChecklistRow(
                requirement=req,
                received=self[f"doc_{req.pk}"],
                upload=self[f"file_{req.pk}"] if f"file_{req.pk}" in self.fields else None,
                missing=req.pk in self.missing,
            )
            for req in self.requirements
        ]

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            kind=ApplicantKind(data["kind"]),
            name=data["name"],
            national_id=data["national_id"].strip().upper(),
            id_type=data.get("id_type") or IdType.NATIONAL_ID,
            birth_date=data["birth_date"],
            sex=data["sex"],
            address=data["address"],
            phone=data["phone"].replace(" ", ""),
            email=data["email"].strip(),
            org_name=data["org_name"],
            org_tax_code=data["org_tax_code"].strip(),
        )

    def guidance_items(self) -> list[SupplementItem]:
        """What the guidance slip lists: every required item not ticked, then the lines typed in."""
        ticked = {doc.requirement for doc in self.documents()}
        items = [
            SupplementItem(requirement=req.pk, copies=req.copies or 1)
            for req in self.requirements
            if req.required and not req.condition and req.pk not in ticked
        ]
        items += [
            SupplementItem(name=line.strip()) for line in self.cleaned_data["other_items"].splitlines() if line.strip()
        ]
        return items

    def documents(self) -> list[Document]:
        """Ticked items, and items with a scan even if the box was forgotten."""
        docs = []
        for req in self.requirements:
            upload = self.cleaned_data.get(f"file_{req.pk}") or None
            if not (self.cleaned_data.get(f"doc_{req.pk}") or upload):
                continue
            if req.kind == CopyKind.PRESENT:
                docs.append(Document(requirement=req.pk, presented=True))
            else:
                docs.append(Document(requirement=req.pk, file=upload, copies=req.copies or 1))
        return docs
