"""People and organisations: the effective-dated agency tree, its staff, and citizen accounts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Iterable


class User(AbstractUser):
    """Login identity for staff and citizens; what they may do lives on Staff / Citizen."""

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) come before the given name.
        return f"{self.last_name} {self.first_name}".strip()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("UBND tỉnh")
    DISTRICT = "district", _("UBND cấp huyện")
    COMMUNE = "commune", _("UBND cấp xã")
    OFFICE = "office", _("Phòng, ban chuyên môn")
    DESK = "desk", _("Bộ phận một cửa / Trung tâm PVHCC")
    OUTSIDE = "outside", _("Cơ quan phối hợp (liên thông)")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def valid_on(self, day: dt.date) -> AgencyQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def subtree(self, agency: Agency) -> AgencyQuerySet:
        """The agency and everything under it (the materialised path makes this one query)."""
        return self.filter(path__startswith=agency.path)


class Agency(models.Model):
    """A body that receives or decides dossiers (Decision 20/2020 mã định danh as an opaque code)."""

    code = models.CharField(_("mã định danh"), max_length=35, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cấp trên"),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    has_desk = models.BooleanField(_("có bộ phận một cửa"), default=False)
    place_name = models.CharField(
        _("địa danh"),
        max_length=80,
        blank=True,
        help_text=_("Dùng trên giấy tờ: “<địa danh>, ngày … tháng … năm …”"),
    )
    desk_name = models.CharField(
        _("tên bộ phận một cửa"),
        max_length=255,
        blank=True,
        help_text=_("Để trống: tên theo quy định của chế độ pháp lý vào ngày tiếp nhận hồ sơ"),
    )
    head_title = models.CharField(
        _("chức danh người đứng đầu"),
        max_length=80,
        blank=True,
        help_text=_("Để trống: “CHỦ TỊCH” cho UBND, “GIÁM ĐỐC” cho cơ quan khác"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    # "/<id>/<id>/" from the root: subtree queries are a prefix match on an index.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {}
        old_path = self.path
        self.path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_people_committee(self) -> bool:
        return self.kind in (AgencyKind.PROVINCE, AgencyKind.DISTRICT, AgencyKind.COMMUNE)

    @property
    def signing_title(self) -> str:
        """Whose name results and letters go out in; a deputy signs "KT. <this>"."""
        return self.head_title or ("CHỦ TỊCH" if self.is_people_committee else "GIÁM ĐỐC")

    def successor_on(self, day: dt.date) -> Agency | None:
        """The unit that carries this one's open work on ``day``, following mergers one after another.

        Đông Xuyên ward merged into Mỹ Xuyên on 1 Jan 2025, which became part of Long Xuyên ward on 1 Jul
        2025: on any day after that, Đông Xuyên's successor is Long Xuyên ward.
        """
        current: Agency = self
        seen = {self.pk}
        while not current.is_valid_on(day):
            link = (
                Succession.objects.filter(predecessor=current, effective__lte=day, takes_open_dossiers=True)
                .select_related("successor")
                .order_by("-effective")
                .first()
            )
            if link is None or link.successor_id in seen:
                return None
            current = link.successor
            seen.add(current.pk)
        return None if current.pk == self.pk else current

    def ancestors(self) -> list[Agency]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        by_id = Agency.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class Succession(models.Model):
    """A unit that ended and one that took over from it on ``effective`` (mergers, the 2025 reform).

    A unit may pass to several successors (a city's territory split between wards); exactly one of them
    takes its open dossiers, so the carry-over never has to guess.
    """

    predecessor = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="successor_links", verbose_name=_("đơn vị cũ")
    )
    successor = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="predecessor_links", verbose_name=_("đơn vị kế thừa")
    )
    effective = models.DateField(_("kế thừa từ ngày"))
    takes_open_dossiers = models.BooleanField(_("nhận hồ sơ đang giải quyết"), default=False)
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True, help_text=_("Ví dụ: NQ 1654/NQ-UBTVQH15"))

    class Meta:
        verbose_name = _("đơn vị kế thừa")
        verbose_name_plural = _("đơn vị kế thừa")
        ordering = ["effective", "predecessor"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.UniqueConstraint(
                fields=["predecessor"],
                condition=Q(takes_open_dossiers=True),
                name="succession_one_heir_of_open_dossiers",
            ),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective:%d/%m/%Y})"


class Department(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="departments", verbose_name=_("cơ quan"))
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=255)

    class Meta:
        verbose_name = _("phòng, ban")
        verbose_name_plural = _("phòng, ban")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="department_code_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} — {self.agency.short_name or self.agency.name}"


class Role(models.TextChoices):
    """DESIGN.md §2."""

    RECEIVER = "receiver", _("Cán bộ tiếp nhận (một cửa)")
    HANDLER = "handler", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    LIAISON = "liaison", _("Cán bộ cơ quan liên thông")
    SUPERVISOR = "supervisor", _("Giám sát (HĐND, thanh tra, VP UBND)")
    ADMIN = "admin", _("Quản trị hệ thống")


class StaffQuerySet(models.QuerySet["Staff"]):
    def visible_to(self, viewer: Staff) -> StaffQuerySet:
        """Staff of the viewer's agency; supervisors and administrators see their whole subtree."""
        if viewer.sees_subtree:
            return self.filter(agency__path__startswith=viewer.agency.path)
        return self.filter(agency_id=viewer.agency_id)

    def with_role(self, role: Role) -> StaffQuerySet:
        return self.filter(role_rows__role=role.value)


class Staff(models.Model):
    """An official: one agency, optionally a department, one or more roles."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="staff", verbose_name=_("tài khoản"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff", verbose_name=_("cơ quan"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("phòng, ban"),
    )
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    active = models.BooleanField(_("đang làm việc"), default=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["agency", "user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def role_set(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_rows.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: Role) -> bool:
        return any(role.value in self.role_set for role in roles)

    def set_roles(self, roles: Iterable[Role]) -> None:
        wanted = {Role(r).value for r in roles}
        self.role_rows.exclude(role__in=wanted).delete()
        for role in wanted - set(self.role_rows.values_list("role", flat=True)):
            StaffRole.objects.create(staff=self, role=role)
        self.__dict__.pop("_role_cache", None)

    @property
    def sees_subtree(self) -> bool:
        return self.has_role(Role.SUPERVISOR, Role.ADMIN)


class StaffRole(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [models.UniqueConstraint(fields=["staff", "role"], name="staff_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Citizen(models.Model):
    """A citizen's portal account; dossiers copy the applicant's data, they do not point here."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="citizen", verbose_name=_("tài khoản"))
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_date = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    vneid_level = models.PositiveSmallIntegerField(
        _("mức định danh VNeID"), null=True, blank=True, choices=[(1, _("Mức 1")), (2, _("Mức 2"))]
    )

    class Meta:
        verbose_name = _("công dân")
        verbose_name_plural = _("công dân")

    def __str__(self) -> str:
        return self.full_name
