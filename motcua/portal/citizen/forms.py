"""The citizen's forms: the online submission, a supplement, withdrawal, rating and feedback.

They bound what is typed (lengths, characters, choices) and turn it into the actions' arguments; what is
required and what is allowed is the actions' decision, and their errors come back under the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Citizen
from motcua.catalogue.models import CopyKind, DocumentRequirement, Fee, ProcedureVersion
from motcua.core.bounds import INT_MAX, LONG_TEXT, BoundedText, column_limit
from motcua.core.taxcode import normalise_tax_code
from motcua.dossiers.actions import Applicant, Document
from motcua.dossiers.consent_form import ConsentFields
from motcua.dossiers.models import (
    ApplicantKind,
    Dossier,
    DossierDocument,
    Feedback,
    FeedbackKind,
    FeedbackTopic,
    PaymentMethod,
    ReturnMethod,
)
from motcua.portal.citizen.queries import Place
from motcua.portal.formatting import format_vnd

BAD_CHOICE = {"invalid_choice": _("Lựa chọn không hợp lệ.")}


def apply_errors(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Each message of an action under the field it names when the form has that field, else above the form."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
    elif not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
    else:
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)


STALE = _(
    "Trang này đã cũ: hồ sơ đã thay đổi kể từ khi bạn mở trang (cán bộ vừa xử lý, hoặc bạn đã gửi từ một cửa sổ "
    "khác). Dưới đây là tình trạng hiện tại; không có gì bị ghi đè. Hãy xem lại rồi gửi lại nếu vẫn cần."
)


class VersionedForm(forms.Form):
    """Carries the dossier's version as the page showed it; the action refuses the form when it is stale.

    A missing or altered version is not the citizen's typing: it is said above the form, like a conflict.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=INT_MAX)

    def __init__(self, *args: Any, dossier: Dossier | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if dossier is not None:
            self.initial["version"] = dossier.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors.pop("version", None):
            self.add_error(None, ValidationError(STALE, code="stale"))
        return data

    def is_stale(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "stale")

    def expected(self) -> int:
        return int(self.cleaned_data["version"])

    def kept(self) -> dict[str, Any]:
        """What was typed, to show again on a fresh form after a conflict (files cannot be kept)."""
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if k != "version" and not hasattr(v, "read")}


def _text(label: Any, model: type[models.Model], column: str, **attrs: Any) -> BoundedText:
    return BoundedText(label=label, max_length=column_limit(model, column), widget=forms.TextInput(attrs=attrs))


def _area(label: Any, limit: int = LONG_TEXT, **kwargs: Any) -> BoundedText:
    return BoundedText(
        label=label, max_length=limit, multiline=True, widget=forms.Textarea(attrs={"rows": 4}), **kwargs
    )


def fee_label(fee: Fee) -> str:
    return f"{fee.name}: {format_vnd(fee.amount_vnd, fee.basis)}"


@dataclass(frozen=True)
class ChecklistRow:
    """One requirement of the online checklist: its upload, its reuse choice, what the draft already holds."""

    requirement: DocumentRequirement
    upload: forms.BoundField
    reuse: forms.BoundField | None
    held: list[DossierDocument]


class SubmissionForm(VersionedForm, ConsentFields):  # the consent asked as at the counter
    """The applicant's contact details (name, ID, birth date and sex come from the signed-in identity),
    where to submit, the request, the checklist's files, how to get the result and how to pay."""

    applicant_kind = forms.ChoiceField(
        label=_("Nộp hồ sơ cho"),
        choices=[
            (ApplicantKind.PERSON, _("Bản thân tôi")),
            (ApplicantKind.ORGANISATION, _("Một tổ chức, doanh nghiệp")),
        ],
        initial=ApplicantKind.PERSON,
        required=False,  # not asked where only individuals may apply: the person
        widget=forms.RadioSelect,
        error_messages=BAD_CHOICE,
    )
    org_name = _text(_("Tên tổ chức"), Dossier, "org_name", autocomplete="organization")
    org_tax_code = BoundedText(
        label=_("Mã số thuế"),
        max_length=16,  # 13 digits with a dash and a space or two typed in
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "0101234567"}),
    )
    representative = BoundedText(
        label=_("Người đại diện theo pháp luật"),
        max_length=column_limit(Dossier, "applicant_name"),
        letters=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    place = forms.ChoiceField(
        label=_("Nơi nộp hồ sơ"), error_messages={**BAD_CHOICE, "required": _("Chọn nơi nộp hồ sơ.")}
    )
    address = _text(_("Địa chỉ liên hệ"), Dossier, "applicant_address", autocomplete="street-address")
    phone = _text(_("Số điện thoại"), Dossier, "applicant_phone", autocomplete="tel", inputmode="tel")
    email = _text(_("Thư điện tử"), Dossier, "applicant_email", autocomplete="email", inputmode="email")
    subject = _area(_("Nội dung yêu cầu giải quyết"), column_limit(Dossier, "subject"))
    return_method = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.ELECTRONIC,
        widget=forms.RadioSelect,
        error_messages={**BAD_CHOICE, "required": _("Chọn cách nhận kết quả.")},
    )
    return_address = _text(_("Địa chỉ nhận kết quả qua bưu chính"), Dossier, "return_address")
    payment_method = forms.ChoiceField(
        label=_("Nộp phí, lệ phí"),
        choices=PaymentMethod.choices,
        initial=PaymentMethod.ONLINE,
        widget=forms.RadioSelect,
        error_messages={**BAD_CHOICE, "required": _("Chọn cách nộp phí, lệ phí.")},
    )
    fees = forms.TypedMultipleChoiceField(
        label=_("Phí, lệ phí phải nộp"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Lựa chọn không hợp lệ.")},
    )

    def __init__(
        self,
        *args: Any,
        version: ProcedureVersion,
        places: Sequence[Place],
        documents: Sequence[DossierDocument] = (),
        results: Sequence[Dossier] = (),
        held: Sequence[DossierDocument] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if kwargs.get("dossier") is None:
            del self.fields["version"]  # a new dossier has no version to be stale against
        self.procedure_version = version
        self.organisations_allowed = version.organisations_allowed
        self.requirements = [r for r in version.documents.all() if r.kind != CopyKind.PRESENT]
        self.present_only = [r for r in version.documents.all() if r.kind == CopyKind.PRESENT]
        self._held = list(held)
        self.fields["place"].choices = [("", _("— Chọn —")), *((p.key, p.label) for p in places)]  # type: ignore[attr-defined]
        fees = list(version.fees.all())
        self.fields["fees"].choices = [(f.pk, fee_label(f)) for f in fees]  # type: ignore[attr-defined]
        if len(fees) == 1 and not self.is_bound:
            self.initial.setdefault("fees", [fees[0].pk])
        reuse = [
            ("", _("— Không dùng lại —")),
            *((f"d{d.pk}", f"{d.name} · {d.dossier.code}") for d in documents),
            *((f"r{r.pk}", _("Kết quả hồ sơ %(code)s") % {"code": r.code}) for r in results),
        ]
        for req in self.requirements:
            self.fields[f"file_{req.pk}"] = forms.FileField(
                label=req.name,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}),
            )
            if len(reuse) > 1:
                self.fields[f"reuse_{req.pk}"] = forms.ChoiceField(
                    label=_("hoặc dùng lại giấy tờ đã có"), choices=reuse, required=False, error_messages=BAD_CHOICE
                )

    def clean(self) -> dict[str, Any]:
        """An organisation needs its name, a valid tax code and its representative; a person none of them."""
        data = super().clean()
        if "applicant_kind" in data and not data["applicant_kind"]:
            data["applicant_kind"] = ApplicantKind.PERSON
        if data.get("applicant_kind") != ApplicantKind.ORGANISATION:
            data.update(org_name="", org_tax_code="", representative="")
            return data
        for name, message in (
            ("org_name", _("Cần tên tổ chức.")),
            ("representative", _("Cần họ và tên người đại diện theo pháp luật.")),
        ):
            if name in data and not data[name].strip():
                self.add_error(name, message)
        try:
            data["org_tax_code"] = normalise_tax_code(data.get("org_tax_code") or "")
        except ValidationError as exc:
            self.add_error("org_tax_code", exc)
        return data

    def checklist(self) -> list[ChecklistRow]:
        return [
            ChecklistRow(
                requirement=req,
                upload=self[f"file_{req.pk}"],
                reuse=self[f"reuse_{req.pk}"] if f"reuse_{req.pk}" in self.fields else None,
                held=[d for d in self._held if d.requirement_id == req.pk],
            )
            for req in self.requirements
        ]

    def place_ids(self) -> tuple[int, int]:
        desk, body = self.cleaned_data["place"].split(":")
        return int(desk), int(body)

    def applicant(self, citizen: Citizen) -> Applicant:
        """The signed-in person, or the organisation they declare, with them recorded as the submitter."""
        data = self.cleaned_data
        if data["applicant_kind"] == ApplicantKind.ORGANISATION:
            return Applicant(
                kind=ApplicantKind.ORGANISATION,
                name=data["representative"],
                org_name=data["org_name"],
                org_tax_code=data["org_tax_code"],
                address=data["address"],
                phone=data["phone"].replace(" ", ""),
                email=data["email"],
                submitter_name=citizen.full_name,
                submitter_national_id=citizen.national_id,
            )
        return Applicant(
            name=citizen.full_name,
            national_id=citizen.national_id,
            birth_date=citizen.birth_date,
            sex=citizen.sex,
            address=data["address"],
            phone=data["phone"].replace(" ", ""),
            email=data["email"],
        )

    def documents(self, results: Sequence[Dossier]) -> list[Document]:
        """An upload or a reuse for each requirement filled in; a result reused comes from the citizen's store."""
        codes = {r.pk: r.code for r in results}
        found: list[Document] = []
        for req in self.requirements:
            upload = self.cleaned_data.get(f"file_{req.pk}")
            reuse = self.cleaned_data.get(f"reuse_{req.pk}") or ""
            if upload:
                found.append(Document(requirement=req.pk, file=upload))
            elif reuse.startswith("d"):
                found.append(Document(requirement=req.pk, reused_from=int(reuse[1:])))
            elif reuse.startswith("r"):
                name = _("%(name)s (kết quả hồ sơ %(code)s)") % {"name": req.name, "code": codes[int(reuse[1:])]}
                found.append(Document(requirement=req.pk, name=str(name)[:LONG_TEXT], from_citizen_store=True))
        return found


class SupplementForm(VersionedForm):
    """One file per line of the supplement request."""

    def __init__(self, *args: Any, items: Sequence[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for index, item in enumerate(self.items):
            self.fields[f"item_{index}"] = forms.FileField(
                label=item.get("name") or _("Giấy tờ bổ sung"),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}),
            )

    def documents(self) -> list[Document]:
        found = []
        for index, item in enumerate(self.items):
            upload = self.cleaned_data.get(f"item_{index}")
            if upload:
                found.append(Document(requirement=item.get("requirement"), name=item.get("name") or "", file=upload))
        return found


class RemoveForm(VersionedForm):
    """Taking one paper out of a draft: only the draft's version."""


class WithdrawForm(VersionedForm):
    reason = _area(_("Lý do rút hồ sơ"), column_limit(Dossier, "closed_reason"))


class RateForm(VersionedForm):
    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={**BAD_CHOICE, "required": _("Chọn mức độ hài lòng.")},
    )
    comment = _area(_("Ý kiến (không bắt buộc)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = settings.MOTCUA_RATING_SCALE
        self.fields["score"].choices = [(n, str(n)) for n in range(scale, 0, -1)]  # type: ignore[attr-defined]


class FeedbackForm(VersionedForm):
    kind = forms.ChoiceField(
        label=_("Loại"), choices=FeedbackKind.choices, widget=forms.RadioSelect, error_messages=BAD_CHOICE
    )
    topic = forms.ChoiceField(label=_("Liên quan đến"), choices=FeedbackTopic.choices, error_messages=BAD_CHOICE)
    text = _area(_("Nội dung phản ánh, kiến nghị"), column_limit(Feedback, "text"))
