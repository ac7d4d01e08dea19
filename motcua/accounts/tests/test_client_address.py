"""The client's real address behind a reverse proxy, and only behind a trusted one (issue 7 finding 3)."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client, RequestFactory

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import PASSWORD, make_staff, make_tree
from motcua.core.throttle import client_ip

PROXY = "10.0.0.2"


def address(remote: str, forwarded: str | None = None) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


@pytest.fixture
def behind_proxy(settings) -> None:
    settings.MOTCUA_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/24"),)


def test_without_a_trusted_proxy_the_header_is_ignored(settings) -> None:
    settings.MOTCUA_TRUSTED_PROXIES = ()
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert address(PROXY, "198.51.100.1") == PROXY


@pytest.mark.usefixtures("behind_proxy")
def test_behind_a_trusted_proxy_the_hop_it_added_is_the_client() -> None:
    assert address(PROXY, "198.51.100.1") == "198.51.100.1"
    # A client writing its own header: the proxy appends the real address at the right.
    assert address(PROXY, "6.6.6.6, 198.51.100.1") == "198.51.100.1"
    # Two proxies of ours in a row.
    assert address(PROXY, "198.51.100.1, 10.0.0.7") == "198.51.100.1"
    # A request that did not come through the proxy cannot choose its address.
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    # Garbage in the header: the proxy's own address is the last one we can vouch for.
    assert address(PROXY, "not-an-address") == PROXY
    assert address(PROXY, "") == PROXY
    assert address("", "198.51.100.1") == "unknown"


@pytest.mark.django_db
def test_rotating_the_header_does_not_escape_the_lock_out(settings) -> None:
    settings.MOTCUA_TRUSTED_PROXIES = ()
    settings.MOTCUA_LOGIN_ATTEMPTS = 3
    make_staff("xuly", make_tree().ward, Role.HANDLER)
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.post(
            "/dang-nhap/", {"username": "xuly", "password": "sai"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 429, 429, 429]


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_proxy")
def test_behind_the_proxy_citizens_no_longer_share_one_address(settings) -> None:
    settings.MOTCUA_LOGIN_ATTEMPTS = 3
    make_staff("xuly", make_tree().ward, Role.HANDLER)
    stranger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert [stranger.post("/dang-nhap/", {"username": "xuly", "password": "sai"}).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    official = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert official.post("/dang-nhap/", {"username": "xuly", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_proxy")
def test_public_lookups_are_limited_per_real_address(settings) -> None:
    settings.MOTCUA_LOOKUPS_PER_MINUTE = 2
    url = "/tra-cuu/000.00.01.H01-240715-0001/?k=ABCDEF"
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert [first.get(url).status_code for _ in range(3)] == [404, 404, 429]
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert second.get(url).status_code == 404
