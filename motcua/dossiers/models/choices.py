"""Enumerations of the dossier domain (DESIGN.md §4, RULES.md §1, §10)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Đã tiếp nhận")
    REJECTED_AT_INTAKE = "rejected_at_intake", _("Không được tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung")
    AWAITING_OBLIGATION = "awaiting_obligation", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    PROCESSED = "processed", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


# The codes the national portal uses (RULES.md §10, TrangThaiHoSo); a draft has none.
NATIONAL_STATUS: dict[str, int | None] = {
    Status.DRAFT: None,
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REJECTED_AT_INTAKE: 3,
    Status.IN_PROGRESS: 4,
    Status.AWAITING_SUPPLEMENT: 5,
    Status.AWAITING_OBLIGATION: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.PROCESSED: 9,
    Status.RETURNED: 10,
}

# Statuses in which the dossier is received and still open: the clock matters.
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.AWAITING_OBLIGATION})
# Statuses in which the statutory clock is running (not paused, not excluded).
RUNNING_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS})


class Channel(models.IntegerChoices):
    """KenhThucHien (RULES.md §1.1): never null, null would count as counter in indicator 766."""

    COUNTER = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Bưu chính công ích")

    @property
    def calendar_channel(self) -> str:
        """The channel name the working-calendar engine uses for the clock-start rule."""
        return {1: "counter", 2: "online", 3: "postal"}[self.value]


class Regime(models.TextChoices):
    """The legal regime a dossier was received under (RULES.md §0): it keeps it for its whole life."""

    DECREE_61_2018 = "nd61_2018", _("Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)")
    DECREE_118_2025 = "nd118_2025", _("Nghị định 118/2025/NĐ-CP")


class FormSet(models.TextChoices):
    """The paper set of a dossier (FORMS.md §1.1 and §1.2), chosen by its receipt date."""

    CIRCULAR_01_2018 = "2018", _("Thông tư 01/2018/TT-VPCP")
    CIRCULAR_03_2025 = "2025", _("Thông tư 03/2025/TT-VPCP")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Giải quyết")
    REFUSED = "refused", _("Từ chối giải quyết")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại bộ phận một cửa")
    POST = "post", _("Qua bưu chính công ích")
    ELECTRONIC = "electronic", _("Bản điện tử")


class Verdict(models.TextChoices):
    """Timing verdict of a dossier or a step (RULES.md §3.2)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")
    IN_TIME = "in_time", _("Trong hạn")
    OVERDUE = "overdue", _("Quá hạn")


class TaskKind(models.TextChoices):
    INTAKE = "intake", _("Tiếp nhận, chuyển xử lý")
    PROCESSING = "processing", _("Xử lý")
    OBLIGATION = "obligation", _("Nghĩa vụ tài chính (không tính thời hạn)")
    RETURNING = "returning", _("Trả kết quả")


class TaskState(models.TextChoices):
    PENDING = "pending", _("Chưa đến lượt")
    ACTIVE = "active", _("Đang thực hiện")
    DONE = "done", _("Đã xong")
    SKIPPED = "skipped", _("Không thực hiện")


class ClockKind(models.TextChoices):
    START = "start", _("Bắt đầu tính thời hạn")
    PAUSE = "pause", _("Tạm dừng (chờ bổ sung)")
    RESUME = "resume", _("Tính tiếp")
    EXTEND = "extend", _("Gia hạn")
    RESCHEDULE = "reschedule", _("Hẹn lại")
    EXCLUDE_START = "exclude_start", _("Bắt đầu bước không tính thời hạn")
    EXCLUDE_END = "exclude_end", _("Kết thúc bước không tính thời hạn")


class RefusalStage(models.TextChoices):
    INTAKE = "intake", _("Từ chối tiếp nhận")
    APPRAISAL = "appraisal", _("Từ chối sau thẩm định")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thất bại")
    REFUNDING = "refunding", _("Đang hoàn tiền")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class FeeKind(models.TextChoices):
    CHARGE = "phi", _("Phí")
    LEVY = "le_phi", _("Lệ phí")


class PaymentChannel(models.IntegerChoices):
    """DuocThanhToanTrucTuyen (RULES.md §8)."""

    NATIONAL = 1, _("Cổng DVCQG")
    LOCAL = 2, _("Cổng thanh toán của tỉnh")


class ShipmentState(models.TextChoices):
    """Where a postal item stands; a result by post counts as returned only once ``DELIVERED``."""

    ORDERED = "ordered", _("Đã đặt bưu điện")
    HANDED = "handed", _("Đã giao bưu điện")
    IN_TRANSIT = "transit", _("Đang vận chuyển")
    DELIVERED = "delivered", _("Đã phát thành công")
    FAILED = "failed", _("Phát không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


class ShipmentDirection(models.TextChoices):
    INBOUND = "in", _("Nhận hồ sơ qua bưu chính")
    OUTBOUND = "out", _("Trả kết quả qua bưu chính")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    NO_ADAPTER = "no_adapter", _("Chưa có kênh gửi")
