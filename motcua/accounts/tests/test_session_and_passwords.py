"""Idle and absolute session limits; the password policy (issue 7, "Second factor" bullet)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.accounts.models import Role, User
from motcua.accounts.session import SEEN_AT, SIGNED_IN_AT
from motcua.accounts.tests.factories import PASSWORD, make_staff, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client: Client, settings) -> Client:
    settings.MOTCUA_SESSION_IDLE_MINUTES = 30
    settings.MOTCUA_SESSION_MAX_HOURS = 10
    make_staff("xuly", make_tree().ward, Role.HANDLER)
    assert client.post("/dang-nhap/", {"username": "xuly", "password": PASSWORD}).status_code == 302
    return client


def backdate(client: Client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"seen": SEEN_AT, "signed_in": SIGNED_IN_AT}[key]] = now - ago
    session.save()


def test_a_session_idle_longer_than_the_limit_ends(official: Client) -> None:
    backdate(official, seen=31 * 60)
    response = official.get("/can-bo/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=%2Fcan-bo%2F"
    assert "_auth_user_id" not in official.session
    page = official.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn" in page


def test_activity_keeps_the_session_alive(official: Client) -> None:
    backdate(official, seen=29 * 60)
    before = official.session[SEEN_AT]
    assert official.get("/can-bo/").status_code == 200
    assert official.session[SEEN_AT] > before + 28 * 60  # moved to now: the expiry slides
    assert official.get("/can-bo/").status_code == 200


def test_an_active_session_still_ends_at_the_absolute_limit(official: Client) -> None:
    backdate(official, seen=60, signed_in=10 * 3600 + 60)
    assert official.get("/can-bo/").status_code == 302
    assert "_auth_user_id" not in official.session


def test_the_cookie_does_not_outlive_the_longest_session(settings) -> None:
    assert settings.SESSION_COOKIE_AGE == settings.MOTCUA_SESSION_MAX_HOURS * 3600


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab3$xyz", "password_too_short"),  # 7 characters, under the minimum of 10
        ("password123", "password_too_common"),  # on Django's list of 20 000 common passwords
        ("nguyenvanan2024", "password_too_similar"),  # built from the user's name
        ("8264019375", "password_entirely_numeric"),
    ],
)
def test_the_password_policy(password: str, reason: str) -> None:
    user = User(username="nguyenvanan", first_name="An", last_name="Nguyễn Văn")
    with pytest.raises(ValidationError) as info:
        validate_password(password, user)
    assert reason in {error.code for error in info.value.error_list}


def test_a_long_uncommon_password_passes() -> None:
    validate_password("mùa-lúa-chín-ở-Mỹ-Hòa-Hưng", User(username="nguyenvanan"))


def test_the_minimum_length_comes_from_the_setting(settings) -> None:
    from django.contrib.auth.password_validation import MinimumLengthValidator, get_default_password_validators

    [length] = [v for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)]
    assert length.min_length == settings.MOTCUA_PASSWORD_MIN_LENGTH == 10
