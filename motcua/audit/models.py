"""Append-only records: the hash-chained event log and the personal-data access log.

Three layers keep them append-only: the models and their querysets refuse updates and deletes,
database triggers (migration 0002) refuse them for any client, and each stream's events form a
hash chain whose head is kept in StreamHead, so ``verify`` finds what got past the first two.
Write through ``motcua.audit.log`` (``record``, ``record_access``), never with ``objects.create``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.canonical import GENESIS, event_hash

_M = TypeVar("_M", bound=models.Model)


class AppendOnlyError(Exception):
    def __init__(self, model: type[models.Model], operation: str) -> None:
        table = model._meta.db_table
        template = (
            _("Nhật ký chỉ được ghi thêm: không được sửa bản ghi của %(table)s.")
            if operation == "update"
            else _("Nhật ký chỉ được ghi thêm: không được xóa bản ghi của %(table)s.")
        )
        super().__init__(template % {"table": table})


class AppendOnlyQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(self.model, "update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.model, "delete")

    # Refused here, before Django's own bulk_update opens a block that the error would spoil.
    def bulk_update(self, objs: Iterable[_M], fields: Iterable[str], batch_size: int | None = None) -> int:
        raise AppendOnlyError(self.model, "update")


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(type(self), "update")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(type(self), "delete")


class EventQuerySet(AppendOnlyQuerySet["Event"]):
    def for_stream(self, stream: str) -> EventQuerySet:
        return self.filter(stream=stream).order_by("seq")


class Event(AppendOnlyModel):
    """One recorded change; ``stream`` groups the events of one object, e.g. ``dossier:<id>``."""

    stream = models.CharField(_("chuỗi sự kiện"), max_length=100)
    seq = models.PositiveIntegerField(_("số thứ tự trong chuỗi"))
    kind = models.CharField(_("loại sự kiện"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    at = models.DateTimeField(_("thời điểm"))
    data = models.JSONField(_("dữ liệu"), default=dict)
    prev_hash = models.CharField(_("mã băm sự kiện trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện (nhật ký)")
        verbose_name_plural = _("nhật ký sự kiện")
        ordering = ["stream", "seq"]
        constraints = [
            # Also the index for every per-stream query: stream is its leading column.
            models.UniqueConstraint(fields=["stream", "seq"], name="audit_event_stream_seq_unique"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="audit_event_seq_positive"),
        ]
        indexes = [models.Index(fields=["kind", "at"], name="audit_event_kind_at")]

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq} {self.kind}"

    def compute_hash(self) -> str:
        return event_hash(
            stream=self.stream,
            seq=self.seq,
            kind=self.kind,
            actor_id=self.actor_id,
            agency_id=self.agency_id,
            at=self.at,
            data=self.data,
            prev_hash=self.prev_hash,
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.hash != self.compute_hash():
            raise ValueError("Event.hash does not match its content; write events with audit.log.record()")
        super().save(*args, **kwargs)


class StreamHead(models.Model):
    """The last (seq, hash) of each stream: without it, deleting a stream's newest events would leave
    a shorter chain that still verifies. Its row is also what ``record`` locks to serialise writers.
    Triggers let it only move forward, one event at a time, onto an event that exists."""

    stream = models.CharField(_("chuỗi sự kiện"), max_length=100, unique=True)
    seq = models.PositiveIntegerField(_("số thứ tự cuối"), default=0)
    hash = models.CharField(_("mã băm cuối"), max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("đầu chuỗi sự kiện")
        verbose_name_plural = _("đầu chuỗi sự kiện")

    def __str__(self) -> str:
        return f"{self.stream} @{self.seq}"


class AccessAction(models.TextChoices):
    VIEW = "view", _("Xem")
    EXPORT = "export", _("Xuất dữ liệu")
    PRINT = "print", _("In")


class PersonalDataAccess(AppendOnlyModel):
    """Who saw or took out which personal data, when and why (Decree 13/2023; RULES.md §9.4)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (user, at) index below serves these lookups
        verbose_name=_("người truy cập"),
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    subject = models.CharField(_("đối tượng"), max_length=100, help_text=_("Ví dụ: dossier:123, citizen:45"))
    fields = models.JSONField(_("các trường dữ liệu"), default=list)
    action = models.CharField(_("hành động"), max_length=16, choices=AccessAction.choices)
    purpose = models.CharField(_("mục đích"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    objects = AppendOnlyQuerySet["PersonalDataAccess"].as_manager()

    class Meta:
        verbose_name = _("lượt truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["subject", "at"], name="audit_pda_subject_at"),
            models.Index(fields=["user", "at"], name="audit_pda_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.action} {self.at:%Y-%m-%d %H:%M}"
