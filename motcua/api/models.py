"""Systems that call the API (the provincial portal, the post, a partner registry): OAuth2 clients.

A client acts through one official of its agency (``staff``): every dossier action it takes is that
official's, under the same role × agency rules as the office, and the audit log names that account.
Its scopes narrow what the official may do further; they never widen it. The secret is stored hashed
with Django's password hashers, as a password is, and shown once when the client is created.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Staff
from motcua.dossiers.transitions import Action

READ_DOSSIERS = "dossiers:read"
RECEIVE_DOSSIERS = "dossiers:receive"
READ_REPORTS = "reports:read"
# Intake creates a dossier (its own scope); drafts are the citizen's; carrying a dossier over to a successor
# agency is the administrators' command. Every other action is taken on a dossier through the API.
NOT_ON_A_DOSSIER = frozenset(
    {Action.SAVE_DRAFT, Action.SUBMIT_ONLINE, Action.RECEIVE_AT_COUNTER, Action.REFUSE_AT_COUNTER, Action.CARRY_OVER}
)
LIFECYCLE = [a for a in Action if a not in NOT_ON_A_DOSSIER]


def action_scope(action: Action) -> str:
    return f"actions:{action.value}"


SCOPE_CHOICES = [
    (READ_DOSSIERS, _("Đọc hồ sơ")),
    (RECEIVE_DOSSIERS, _("Tiếp nhận hồ sơ từ hệ thống đối tác")),
    (READ_REPORTS, _("Đọc số liệu báo cáo")),
    *((action_scope(a), _("Thao tác: %(action)s") % {"action": a.value}) for a in LIFECYCLE),
]
SCOPES = frozenset(code for code, _label in SCOPE_CHOICES)
CLIENT_ID_LENGTH = 32


def new_client_id() -> str:
    return "mc_" + secrets.token_hex(14)


class ApiClient(models.Model):
    client_id = models.CharField(_("mã ứng dụng"), max_length=CLIENT_ID_LENGTH, unique=True, default=new_client_id)
    name = models.CharField(_("tên hệ thống"), max_length=120)
    secret_hash = models.CharField(_("mật khẩu ứng dụng (đã băm)"), max_length=256, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("cơ quan"))
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("thao tác với tư cách cán bộ"),
        help_text=_("Mọi thao tác của hệ thống được ghi nhận là của cán bộ này, trong phạm vi vai trò của họ."),
    )
    scopes = models.JSONField(_("phạm vi được phép"), default=list, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ứng dụng gọi API")
        verbose_name_plural = _("ứng dụng gọi API")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.staff_id is not None and self.agency_id is not None and self.staff.agency_id != self.agency_id:
            errors["staff"] = ValidationError(_("Cán bộ phải thuộc cơ quan của ứng dụng."))
        unknown = set(self.scopes or []) - SCOPES
        if not isinstance(self.scopes, list) or unknown:
            errors["scopes"] = ValidationError(_("Phạm vi không hợp lệ."))
        if errors:
            raise ValidationError(errors)

    def new_secret(self) -> str:
        """A fresh secret: hashed here, returned in clear to be shown once."""
        secret = secrets.token_urlsafe(32)
        self.secret_hash = make_password(secret)
        return secret

    def check_secret(self, secret: str) -> bool:
        return bool(self.secret_hash) and check_password(secret, self.secret_hash)

    @property
    def usable(self) -> bool:
        """Active, and its official still works at the client's agency."""
        return self.active and self.staff.active and self.staff.agency_id == self.agency_id


IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class IdempotentReceipt(models.Model):
    """A partner's intake answered under an ``Idempotency-Key``: a retry of the same request (a timeout, a
    lost answer) gets this answer again instead of a second dossier. One row per caller and key (a unique
    constraint: two concurrent retries cannot both insert), kept for a day (``REPLAY_WINDOW``)."""

    # "client:<pk>" for a system's token, "staff:<pk>" for an official's session: keys are the caller's own.
    caller = models.CharField(_("bên gọi"), max_length=40)
    key = models.CharField(_("khóa Idempotency-Key"), max_length=64)
    # sha256 of the request body in canonical JSON: the same key with another body is refused.
    fingerprint = models.CharField(_("dấu vân tay yêu cầu"), max_length=64)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    status = models.PositiveSmallIntegerField(_("mã trạng thái HTTP"))
    body = models.JSONField(_("nội dung trả lời"))
    created_at = models.DateTimeField(_("lúc"), db_index=True)

    class Meta:
        verbose_name = _("yêu cầu tiếp nhận có khóa chống trùng")
        verbose_name_plural = _("yêu cầu tiếp nhận có khóa chống trùng")
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="idempotency_key_once_per_caller")]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"
