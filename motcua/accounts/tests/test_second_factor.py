"""Administrators and leaders sign in with a second factor (TOTP), on every door including the admin."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Role, Staff, User
from motcua.accounts.tests.factories import PASSWORD, Tree, make_staff, make_tree
from motcua.accounts.tests.totp import secret_from_display, totp
from motcua.accounts.twofactor import SecondFactorAdminSite
from motcua.audit.models import Event

pytestmark = pytest.mark.django_db

VERIFY = "/dang-nhap/xac-thuc/"
ENROL = "/dang-nhap/xac-thuc/dang-ky/"


@pytest.fixture(autouse=True)
def _second_factor_roles(settings) -> None:
    settings.MOTCUA_2FA_ROLES = ("admin", "leader")


@pytest.fixture
def tree() -> Tree:
    return make_tree()


def enrolled(staff: Staff) -> bytes:
    """A confirmed device whose secret the test knows (as if scanned earlier); returns the secret."""
    device = TOTPDevice.objects.create(user=staff.user, name="TOTP", confirmed=True)
    return device.bin_key


def signed_in(username: str, door: str = "/dang-nhap/") -> tuple[Client, str]:
    client = Client()
    response = client.post(door, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client, response["Location"]


def test_rfc6238_reference_vector() -> None:
    # RFC 6238 Appendix B, SHA-1, T = 59 s, 8 digits: the test's own TOTP is right.
    assert totp(b"12345678901234567890", at=59, digits=8) == "94287082"


def test_a_leader_enrols_with_the_qr_code_and_lands_on_the_desk(tree: Tree, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would otherwise delay the right one
    leader = make_staff("lanhdao", tree.city, Role.LEADER)
    client, location = signed_in("lanhdao")
    assert location == f"{VERIFY}?next=%2Fcan-bo%2F"
    assert client.get("/can-bo/")["Location"] == f"{VERIFY}?next=%2Fcan-bo%2F"  # no desk before the code
    enrol_url = client.get(location)["Location"]
    assert enrol_url.startswith(ENROL)
    page = client.get(enrol_url).content.decode()
    assert "<svg" in page  # the QR code
    [shown] = re.findall(r"<code data-secret>([A-Z2-7 ]+)</code>", page)
    secret = secret_from_display(shown)
    assert secret == TOTPDevice.objects.get(user=leader.user).bin_key
    wrong = client.post(enrol_url, {"token": "000000" if totp(secret) != "000000" else "111111"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    done = client.post(enrol_url, {"token": totp(secret), "next": "/can-bo/"})
    assert done["Location"] == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200
    assert TOTPDevice.objects.get(user=leader.user).confirmed
    kinds = list(Event.objects.filter(stream=f"signin:{leader.user.pk}").values_list("kind", flat=True))
    assert kinds == ["signin.succeeded", "signin.second_factor_failed", "signin.second_factor_enrolled"]


def test_an_enrolled_administrator_is_asked_for_a_code_at_the_admin_too(tree: Tree) -> None:
    admin = make_staff("quantri", tree.province, Role.ADMIN)
    secret = enrolled(admin)
    client, location = signed_in("quantri", door="/quan-tri/login/?next=/quan-tri/")
    assert location == "/quan-tri/"
    assert client.get("/quan-tri/")["Location"] == f"{VERIFY}?next=%2Fquan-tri%2F"
    assert client.get("/quan-tri/accounts/agency/")["Location"].startswith(VERIFY)
    assert client.get(ENROL)["Location"].startswith(VERIFY)  # an enrolled device cannot be replaced here
    wrong = client.post(VERIFY, {"token": "12345", "next": "/quan-tri/"})
    assert "6 chữ số" in wrong.content.decode()
    good = client.post(VERIFY, {"token": totp(secret), "next": "/quan-tri/"})
    assert good["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/accounts/agency/").status_code == 200


def test_a_code_is_accepted_once(tree: Tree) -> None:
    leader = make_staff("lanhdao", tree.city, Role.LEADER)
    secret = enrolled(leader)
    code = totp(secret)
    first, _ = signed_in("lanhdao")
    assert first.post(VERIFY, {"token": code})["Location"] == "/can-bo/"
    second, _ = signed_in("lanhdao")
    replay = second.post(VERIFY, {"token": code})
    assert replay.status_code == 200 and "đã được dùng" in replay.content.decode()
    kinds = list(Event.objects.filter(stream=f"signin:{leader.user.pk}").values_list("kind", flat=True))
    assert kinds[-1] == "signin.second_factor_failed"


def test_repeated_wrong_codes_are_slowed_down(tree: Tree) -> None:
    leader = make_staff("lanhdao", tree.city, Role.LEADER)
    secret = enrolled(leader)
    client, _ = signed_in("lanhdao")
    wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"token": wrong})
    # After a failure django-otp refuses further tries for a growing delay, even the right code.
    throttled = client.post(VERIFY, {"token": totp(secret)})
    assert "Nhập sai quá nhiều lần" in throttled.content.decode()
    assert client.get("/can-bo/").status_code == 302


def test_roles_outside_the_setting_are_not_asked(tree: Tree, settings) -> None:
    make_staff("xuly", tree.ward, Role.HANDLER, Role.RECEIVER)
    client, location = signed_in("xuly")
    assert location == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200
    settings.MOTCUA_2FA_ROLES = ()
    make_staff("lanhdao", tree.city, Role.LEADER)
    leader, location = signed_in("lanhdao")
    assert location == "/can-bo/" and leader.get("/can-bo/").status_code == 200


def test_superusers_count_as_administrators(tree: Tree) -> None:
    User.objects.create_superuser(username="root", password=PASSWORD)
    client, _ = signed_in("root", door="/quan-tri/login/?next=/quan-tri/")
    assert client.get("/quan-tri/")["Location"].startswith(VERIFY)


def test_the_admin_site_itself_refuses_an_unverified_administrator(tree: Tree) -> None:
    admin = make_staff("quantri", tree.province, Role.ADMIN)
    request = RequestFactory().get("/quan-tri/")
    request.user = User.objects.get(pk=admin.user.pk)  # as if the middleware had been bypassed
    site = SecondFactorAdminSite()
    assert not site.has_permission(request)
    request.user.is_verified = lambda: True  # type: ignore[attr-defined]
    assert site.has_permission(request)


def test_signing_out_is_possible_before_the_code(tree: Tree) -> None:
    make_staff("lanhdao", tree.city, Role.LEADER)
    client, _ = signed_in("lanhdao")
    client.post("/dang-xuat/")
    assert "_auth_user_id" not in client.session


def test_unknown_roles_in_the_setting_stop_the_start(settings) -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.MOTCUA_2FA_ROLES = ("admin", "boss")
    with pytest.raises(SystemCheckError, match="unknown roles: boss"):
        call_command("check")


def test_a_code_from_minutes_ago_is_refused(tree: Tree) -> None:
    leader = make_staff("lanhdao", tree.city, Role.LEADER)
    secret = enrolled(leader)
    client, _ = signed_in("lanhdao")
    stale = totp(secret, at=time.time() - 300)
    assert stale != totp(secret)
    assert "Mã xác thực không đúng" in client.post(VERIFY, {"token": stale}).content.decode()
    assert client.get("/can-bo/").status_code == 302
