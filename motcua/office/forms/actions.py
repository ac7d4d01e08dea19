"""One small form per dossier action: the inputs the action needs and the dossier's version.

``expected_version`` travels with every form, so when two officials act on the same dossier the
second gets the actions' conflict message instead of silently undoing the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Staff
from motcua.catalogue.models import CopyKind, DocumentRequirement
from motcua.core import bounds
from motcua.core.bounds import BoundedInteger, BoundedMoment
from motcua.dossiers import actions
from motcua.dossiers.actions import Document, SupplementItem
from motcua.dossiers.actions.availability import roles_for
from motcua.dossiers.actions.competence import assignable_staff
from motcua.dossiers.actions.waiting import MAX_COPIES
from motcua.dossiers.models import (
    Apology,
    ClockEvent,
    Dossier,
    DossierDocument,
    Rating,
    Refusal,
    ReturnMethod,
    SupplementRequest,
    Task,
)
from motcua.dossiers.transitions import Action

from .intake import BAD_CHOICE, area, fee_label, text

A = Action
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class Scene:
    """What every action form of one dossier page may need, loaded once for the page."""

    dossier: Dossier
    staff: Staff
    requirements: list[DocumentRequirement]
    open_request: SupplementRequest | None
    now: dt.datetime


class ActionForm(forms.Form):
    action: ClassVar[Action]
    title: ClassVar[Promise]
    tone: ClassVar[str] = ""  # "danger" for the ones that end or refuse
    # Fields the page lays out in rows of their own (item_rows) instead of one after another.
    grouped: frozenset[str] = frozenset()

    expected_version = BoundedInteger(
        low=0,
        high=bounds.INT_MAX,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Thiếu phiên bản hồ sơ; hãy tải lại trang."),
            "invalid": _("Thiếu phiên bản hồ sơ; hãy tải lại trang."),
        },
    )

    def __init__(self, *args: Any, scene: Scene, task: Task | None = None, **kwargs: Any) -> None:
        kwargs["initial"] = {"expected_version": scene.dossier.version, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.scene, self.task = scene, task
        self.setup()

    def setup(self) -> None:
        """Choices that depend on the dossier or the step."""

    @property
    def common(self) -> dict[str, Any]:
        return {
            "actor": self.scene.staff,
            "dossier": self.scene.dossier.pk,
            "expected_version": self.cleaned_data["expected_version"],
        }

    @property
    def step(self) -> dict[str, Any]:
        assert self.task is not None
        return {**self.common, "task": self.task.pk}

    def perform(self) -> Dossier:
        raise NotImplementedError


class AcceptOnlineForm(ActionForm):
    """The desk confirms the fees due, as at the counter; the applicant's choice is ticked."""

    action = A.ACCEPT_ONLINE
    title = _("Tiếp nhận hồ sơ trực tuyến")
    fees = forms.TypedMultipleChoiceField(
        label=_("Phí, lệ phí phải nộp"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Phí, lệ phí được chọn không thuộc thủ tục này.")},
    )

    def setup(self) -> None:
        field = self.fields["fees"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        version = self.scene.dossier.procedure_version
        field.choices = [(fee.pk, fee_label(fee)) for fee in version.fees.order_by("order", "pk")]
        field.initial = [row.fee_id for row in self.scene.dossier.fees_due.all() if row.fee_id is not None]
        if not field.choices:
            del self.fields["fees"]

    def perform(self) -> Dossier:
        return actions.accept_online(**self.common, fees=self.cleaned_data.get("fees", []))


class RejectOnlineForm(ActionForm):
    action = A.REJECT_ONLINE
    title = _("Từ chối tiếp nhận hồ sơ")
    tone = "danger"
    reasons = area(_("Lý do từ chối"), Refusal, "reasons")

    def perform(self) -> Dossier:
        return actions.reject_online(**self.common, reasons=self.cleaned_data["reasons"])


class AssignForm(ActionForm):
    action = A.ASSIGN
    title = _("Giao việc")
    assignee = forms.ModelChoiceField(
        label=_("Giao cho"),
        queryset=Staff.objects.none(),
        empty_label="—",
        error_messages={
            "required": _("Chọn cán bộ được giao."),
            "invalid_choice": _("Cán bộ này không nhận được bước này."),
        },
    )

    def setup(self) -> None:
        assert self.task is not None
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignable_staff(self.task, roles_for(self.task)).select_related("user")
        field.initial = self.task.assignee_id

    def perform(self) -> Dossier:
        return actions.assign(**self.step, assignee=self.cleaned_data["assignee"])


class StartStepForm(ActionForm):
    action = A.START_STEP
    title = _("Bắt đầu xử lý bước")

    def perform(self) -> Dossier:
        return actions.start_step(**self.step)


class FinishStepForm(ActionForm):
    action = A.FINISH_STEP
    title = _("Hoàn thành bước, chuyển bước sau")
    note = area(_("Ghi chú"), Task, "note")

    def perform(self) -> Dossier:
        return actions.finish_step(**self.step, note=self.cleaned_data["note"])


class SkipStepForm(ActionForm):
    action = A.SKIP_STEP
    title = _("Bỏ qua bước (không cần thực hiện)")
    reason = area(_("Lý do"), Task, "note")

    def perform(self) -> Dossier:
        return actions.skip_step(**self.step, reason=self.cleaned_data["reason"])


class TransferForm(ActionForm):
    action = A.TRANSFER
    title = _("Chuyển liên thông")
    to_agency = forms.ModelChoiceField(
        label=_("Cơ quan nhận"),
        queryset=Agency.objects.none(),
        empty_label="—",
        error_messages={
            "required": _("Chọn cơ quan nhận."),
            "invalid_choice": _("Cơ quan không hợp lệ."),
        },
    )
    note = area(_("Ghi chú"), Task, "note")

    def setup(self) -> None:
        dossier = self.scene.dossier
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Agency.objects.valid_on(self.scene.now.date())
            .exclude(pk__in=[dossier.receiving_agency_id, dossier.competent_agency_id])
            .order_by("path")
        )

    def perform(self) -> Dossier:
        data = self.cleaned_data
        return actions.transfer(**self.step, to_agency=data["to_agency"], note=data["note"])


class ReturnTransferForm(ActionForm):
    action = A.RETURN_TRANSFER
    title = _("Trả hồ sơ liên thông")
    note = area(_("Kết quả hoặc ý kiến"), Task, "note")

    def perform(self) -> Dossier:
        return actions.return_transfer(**self.step, note=self.cleaned_data["note"])


class RequestSupplementForm(ActionForm):
    action = A.REQUEST_SUPPLEMENT
    title = _("Yêu cầu bổ sung, hoàn thiện hồ sơ")
    items = forms.TypedMultipleChoiceField(
        label=_("Giấy tờ cần bổ sung"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Thành phần không thuộc thủ tục này.")},
    )
    other_items = area(_("Giấy tờ khác (mỗi dòng một mục)"), SupplementRequest, "reason")
    reason = area(_("Lý do"), SupplementRequest, "reason")
    second_reason = area(_("Lý do yêu cầu bổ sung lần nữa (tính là trễ hạn)"), SupplementRequest, "second_reason")

    def setup(self) -> None:
        field = self.fields["items"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(req.pk, req.name) for req in self.scene.requirements]
        # How many of each, and which kind of copy (blank: what the checklist asks): Mẫu 02 prints both.
        kinds = [("", _("Như thành phần hồ sơ"))]
        kinds += [(kind, label) for kind, label in CopyKind.choices if kind != CopyKind.PRESENT]
        for req in self.scene.requirements:
            self.fields[f"copies_{req.pk}"] = BoundedInteger(
                low=1,
                high=MAX_COPIES,
                required=False,
                initial=req.copies or 1,
                label=_("Số bản"),
                widget=forms.NumberInput(attrs={"min": 1, "max": MAX_COPIES, "class": "input--short"}),
            )
            self.fields[f"kind_{req.pk}"] = forms.ChoiceField(
                label=_("Loại bản"), choices=kinds, required=False, error_messages=BAD_CHOICE
            )
        parts = ("copies", "kind")
        self.grouped = frozenset({"items", *(f"{part}_{req.pk}" for req in self.scene.requirements for part in parts)})
        if self.scene.dossier.supplement_count < 1:
            del self.fields["second_reason"]

    @property
    def item_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """Each requirement's tick box with its quantity and kind, shown as one row."""
        ticks = {str(box.data["value"]): box for box in self["items"]}
        return [
            (ticks[str(req.pk)], self[f"copies_{req.pk}"], self[f"kind_{req.pk}"]) for req in self.scene.requirements
        ]

    def perform(self) -> Dossier:
        data = self.cleaned_data
        items = [
            SupplementItem(requirement=pk, copies=data.get(f"copies_{pk}") or 1, kind=data.get(f"kind_{pk}") or "")
            for pk in data["items"]
        ]
        items += [SupplementItem(name=line.strip()) for line in data["other_items"].splitlines() if line.strip()]
        return actions.request_supplement(
            **self.common, items=items, reason=data["reason"], second_reason=data.get("second_reason", "")
        )


class ReceiveSupplementForm(ActionForm):
    """The items of the open request, each ticked and optionally scanned, plus anything else handed in."""

    action = A.RECEIVE_SUPPLEMENT
    title = _("Nhận hồ sơ bổ sung")
    other_name = text(_("Giấy tờ khác"), DossierDocument, "name")
    other_file = forms.FileField(label=_("Bản chụp giấy tờ khác"), required=False)

    def setup(self) -> None:
        request = self.scene.open_request
        self.requested = list(request.items) if request is not None else []
        for index, item in enumerate(self.requested):
            self.fields[f"item_{index}"] = forms.BooleanField(label=item.get("name") or "—", required=False)
            self.fields[f"file_{index}"] = forms.FileField(label=_("Bản chụp"), required=False)
        self.order_fields([*(name for name in self.fields if name.startswith(("item_", "file_"))), "other_name"])

    def perform(self) -> Dossier:
        data = self.cleaned_data
        documents = []
        for index, item in enumerate(self.requested):
            upload = data.get(f"file_{index}") or None
            if data.get(f"item_{index}") or upload:
                documents.append(Document(requirement=item.get("requirement"), name=item.get("name", ""), file=upload))
        if data["other_name"].strip() or data.get("other_file"):
            documents.append(Document(name=data["other_name"], file=data.get("other_file") or None))
        return actions.receive_supplement(**self.common, documents=documents)


class ExpireSupplementForm(ActionForm):
    action = A.EXPIRE_SUPPLEMENT
    title = _("Dừng hồ sơ quá hạn bổ sung")
    tone = "danger"

    def perform(self) -> Dossier:
        return actions.expire_supplement(**self.common)


class EnterObligationForm(ActionForm):
    action = A.ENTER_OBLIGATION
    title = _("Chuyển thực hiện nghĩa vụ tài chính")
    note = area(_("Ghi chú (thông báo thuế…)"), ClockEvent, "reason")

    def perform(self) -> Dossier:
        return actions.enter_obligation(**self.common, note=self.cleaned_data["note"])


class LeaveObligationForm(ActionForm):
    action = A.LEAVE_OBLIGATION
    title = _("Đã hoàn thành nghĩa vụ tài chính")
    note = area(_("Ghi chú"), Task, "note")

    def perform(self) -> Dossier:
        return actions.leave_obligation(**self.common, note=self.cleaned_data["note"])


class ApproveForm(ActionForm):
    action = A.APPROVE
    title = _("Phê duyệt kết quả")
    note = area(_("Ghi chú"), Task, "note")

    def perform(self) -> Dossier:
        return actions.approve(**self.common, note=self.cleaned_data["note"])


class RefuseForm(ActionForm):
    action = A.REFUSE
    title = _("Từ chối giải quyết hồ sơ")
    tone = "danger"
    reasons = area(_("Lý do từ chối"), Refusal, "reasons")

    def perform(self) -> Dossier:
        return actions.refuse(**self.common, reasons=self.cleaned_data["reasons"])


class MarkProcessedForm(ActionForm):
    action = A.MARK_PROCESSED
    title = _("Đã có kết quả (xử lý xong)")
    result_text = area(_("Kết quả"), Dossier, "result_text")
    result_file = forms.FileField(label=_("Tệp kết quả (PDF, JPG, PNG)"), required=False)

    def perform(self) -> Dossier:
        data = self.cleaned_data
        return actions.mark_processed(
            **self.common, result_text=data["result_text"], result_file=data.get("result_file") or None
        )


class ApologiseForm(ActionForm):
    action = A.APOLOGISE_AND_RESCHEDULE
    title = _("Xin lỗi và hẹn lại ngày trả")
    new_due = BoundedMoment(
        label=_("Ngày giờ hẹn mới"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={
            "required": _("Cần ngày giờ hẹn mới."),
            "invalid": _("Ngày giờ không hợp lệ."),
        },
    )
    reason = area(_("Lý do chậm trễ"), Apology, "reason")

    def perform(self) -> Dossier:
        data = self.cleaned_data
        return actions.apologise_and_reschedule(**self.common, reason=data["reason"], new_due=data["new_due"])


class RequestExtensionForm(ActionForm):
    """Decree 118/2025: the apology asks for the new date; a leader grants it (docs/regimes.md)."""

    action = A.REQUEST_EXTENSION
    title = _("Xin lỗi và đề nghị gia hạn")
    proposed_due = BoundedMoment(
        label=_("Ngày giờ hẹn mới đề nghị"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"required": _("Cần ngày giờ hẹn mới."), "invalid": _("Ngày giờ không hợp lệ.")},
    )
    reason = area(_("Lý do chậm trễ"), Apology, "reason")

    def perform(self) -> Dossier:
        data = self.cleaned_data
        return actions.request_extension(**self.common, reason=data["reason"], new_due=data["proposed_due"])


class ApproveExtensionForm(ActionForm):
    action = A.APPROVE_EXTENSION
    title = _("Phê duyệt gia hạn")

    def perform(self) -> Dossier:
        return actions.approve_extension(**self.common)


class StopForm(ActionForm):
    action = A.STOP
    title = _("Dừng xử lý hồ sơ")
    tone = "danger"
    reason = area(_("Lý do dừng xử lý"), ClockEvent, "reason")

    def perform(self) -> Dossier:
        return actions.stop(**self.common, reason=self.cleaned_data["reason"])


class WithdrawForm(ActionForm):
    action = A.WITHDRAW
    title = _("Ghi nhận công dân rút hồ sơ")
    tone = "danger"
    reason = area(_("Yêu cầu rút hồ sơ của công dân"), ClockEvent, "reason")

    def perform(self) -> Dossier:
        return actions.withdraw(**self.common, reason=self.cleaned_data["reason"])


class ReturnResultForm(ActionForm):
    """At the counter or electronically; a result by post is handed to the post (HandToPostForm) and
    returned when delivered."""

    action = A.RETURN_RESULT
    title = _("Trả kết quả")
    method = forms.ChoiceField(
        label=_("Hình thức trả"),
        choices=[(value, label) for value, label in ReturnMethod.choices if value != ReturnMethod.POST],
        error_messages={"invalid_choice": _("Hình thức trả kết quả không hợp lệ.")},
    )
    collector_name = text(_("Người nhận kết quả"), Dossier, "collector_name", letters=True)
    collector_national_id = text(_("Số định danh người nhận"), Dossier, "collector_national_id", inputmode="numeric")

    def setup(self) -> None:
        chosen = self.scene.dossier.return_method
        self.fields["method"].initial = chosen if chosen and chosen != ReturnMethod.POST else ReturnMethod.COUNTER

    def perform(self) -> Dossier:
        data = self.cleaned_data
        return actions.return_result(
            **self.common,
            method=data["method"],
            collector_name=data["collector_name"],
            collector_national_id=data["collector_national_id"].strip(),
        )


class RateForm(ActionForm):
    action = A.RATE
    title = _("Ghi nhận đánh giá của công dân")
    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        coerce=int,
        error_messages={
            "required": _("Chọn mức độ hài lòng."),
            "invalid_choice": _("Điểm đánh giá không hợp lệ."),
        },
    )
    comment = area(_("Ý kiến"), Rating, "comment")

    def setup(self) -> None:
        field = self.fields["score"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(n, str(n)) for n in range(settings.MOTCUA_RATING_SCALE, 0, -1)]

    def perform(self) -> Dossier:
        data = self.cleaned_data
        return actions.rate(**self.common, score=data["score"], comment=data["comment"])


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    form.action: form
    for form in (
        AcceptOnlineForm,
        RejectOnlineForm,
        AssignForm,
        StartStepForm,
        FinishStepForm,
        TransferForm,
        ReturnTransferForm,
        SkipStepForm,
        RequestSupplementForm,
        ReceiveSupplementForm,
        ExpireSupplementForm,
        EnterObligationForm,
        LeaveObligationForm,
        ApproveForm,
        RefuseForm,
        MarkProcessedForm,
        ApologiseForm,
        RequestExtensionForm,
        ApproveExtensionForm,
        StopForm,
        WithdrawForm,
        ReturnResultForm,
        RateForm,
    )
}
# Steps are acted on one at a time: these forms belong to a Task.
STEP_ACTIONS = frozenset({A.ASSIGN, A.START_STEP, A.FINISH_STEP, A.TRANSFER, A.RETURN_TRANSFER, A.SKIP_STEP})
