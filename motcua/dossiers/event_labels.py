"""What each event of a dossier's history is called, for people: the office's timeline and the process
history sent to the national portal read the same words (Vietnamese first; English through the catalogue)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from motcua.dossiers.transitions import Action

A = Action
# Events read as what happened, so they are translated apart from the buttons that cause them.
ACTION_LABELS: dict[str, Promise] = {
    A.SAVE_DRAFT: pgettext_lazy("event", "Lưu hồ sơ nháp"),
    A.SUBMIT_ONLINE: pgettext_lazy("event", "Nộp hồ sơ trực tuyến"),
    A.RECEIVE_AT_COUNTER: pgettext_lazy("event", "Tiếp nhận hồ sơ"),
    A.REFUSE_AT_COUNTER: pgettext_lazy("event", "Từ chối tiếp nhận tại quầy"),
    A.ACCEPT_ONLINE: pgettext_lazy("event", "Tiếp nhận hồ sơ trực tuyến"),
    A.REJECT_ONLINE: pgettext_lazy("event", "Từ chối hồ sơ trực tuyến"),
    A.ASSIGN: pgettext_lazy("event", "Giao việc"),
    A.START_STEP: pgettext_lazy("event", "Bắt đầu bước"),
    A.FINISH_STEP: pgettext_lazy("event", "Hoàn thành bước"),
    A.TRANSFER: pgettext_lazy("event", "Chuyển liên thông"),
    A.RETURN_TRANSFER: pgettext_lazy("event", "Trả hồ sơ liên thông"),
    A.SKIP_STEP: pgettext_lazy("event", "Bỏ qua bước"),
    A.REQUEST_SUPPLEMENT: pgettext_lazy("event", "Yêu cầu bổ sung"),
    A.RECEIVE_SUPPLEMENT: pgettext_lazy("event", "Nhận hồ sơ bổ sung"),
    A.EXPIRE_SUPPLEMENT: pgettext_lazy("event", "Quá hạn bổ sung"),
    A.ENTER_OBLIGATION: pgettext_lazy("event", "Chờ nghĩa vụ tài chính"),
    A.LEAVE_OBLIGATION: pgettext_lazy("event", "Xong nghĩa vụ tài chính"),
    A.APPROVE: pgettext_lazy("event", "Phê duyệt kết quả"),
    A.REFUSE: pgettext_lazy("event", "Từ chối giải quyết"),
    A.MARK_PROCESSED: pgettext_lazy("event", "Xử lý xong"),
    A.APOLOGISE_AND_RESCHEDULE: pgettext_lazy("event", "Xin lỗi, hẹn lại"),
    A.STOP: pgettext_lazy("event", "Dừng xử lý"),
    A.WITHDRAW: pgettext_lazy("event", "Rút hồ sơ"),
    A.RETURN_RESULT: pgettext_lazy("event", "Trả kết quả"),
    A.RATE: pgettext_lazy("event", "Đánh giá"),
    A.CARRY_OVER: pgettext_lazy("event", "Chuyển sang đơn vị kế thừa"),
    A.REQUEST_EXTENSION: pgettext_lazy("event", "Xin lỗi, đề nghị gia hạn"),
    A.APPROVE_EXTENSION: pgettext_lazy("event", "Phê duyệt gia hạn"),
}
# Events that record what happened beside a change of status: money and the post.
RECORD_LABELS: dict[str, Promise] = {
    "payment_started": pgettext_lazy("event", "Bắt đầu thanh toán trực tuyến"),
    "payment_paid": pgettext_lazy("event", "Đã thanh toán phí, lệ phí"),
    "payment_failed": pgettext_lazy("event", "Thanh toán không thành công"),
    "payment_mismatch": pgettext_lazy("event", "Số tiền thanh toán không khớp"),
    "payment_cash": pgettext_lazy("event", "Nộp phí, lệ phí tại quầy"),
    "payment_refund_requested": pgettext_lazy("event", "Đề nghị hoàn tiền"),
    "payment_refund_sent": pgettext_lazy("event", "Đã gửi yêu cầu hoàn tiền"),
    "payment_refunding": pgettext_lazy("event", "Đang hoàn tiền"),
    "payment_refunded": pgettext_lazy("event", "Đã hoàn tiền"),
    "pickup_ordered": pgettext_lazy("event", "Đặt bưu điện đến lấy hồ sơ"),
    "result_handed_to_post": pgettext_lazy("event", "Giao kết quả cho bưu điện"),
    "postal_item_registered": pgettext_lazy("event", "Bưu điện nhận bưu gửi"),
    "postal_handed": pgettext_lazy("event", "Bưu điện nhận bưu gửi"),
    "postal_transit": pgettext_lazy("event", "Bưu gửi đang vận chuyển"),
    "postal_delivered": pgettext_lazy("event", "Bưu điện đã phát"),
    "postal_failed": pgettext_lazy("event", "Bưu điện phát không thành công"),
}


def event_label(kind: str) -> str:
    """The event's words in the active language; an event this table does not know keeps its code."""
    label = ACTION_LABELS.get(kind) or RECORD_LABELS.get(kind)
    return str(label) if label is not None else kind
