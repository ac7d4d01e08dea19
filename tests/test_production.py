"""Production profile (issue 7, finding 5): check --deploy clean, HTTPS, HSTS, CSP and no-store headers."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from config.env import ConfigError, Env
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock, _fresh_calendars, _media, clock, w
from motcua.office.tests.helpers import signed_in

__all__ = ["_fresh_calendars", "_media", "clock", "w"]

ROOT = Path(__file__).resolve().parent.parent
OPERATOR_KEYS = (
    "MOTCUA_VNEID_CLIENT_SECRET",
    "MOTCUA_PAYMENT_SECRET",
    "MOTCUA_POST_SECRET",
    "MOTCUA_SMS_SECRET",
    "MOTCUA_ZALO_ACCESS_TOKEN",
    "MOTCUA_POPULATION_SECRET",
    "MOTCUA_PORTAL_SECRET",
    "MOTCUA_ESIGN_PASSPHRASE",  # of the agency's signing certificate (PKCS#12)
)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Nothing but what an operator must set: DEBUG off, a real secret key and the keys of the outside systems."""
    return {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        **{name: secrets.token_urlsafe(32) for name in OPERATOR_KEYS},
        "MOTCUA_DATA_DIR": str(tmp_path),
        **extra,
    }


@pytest.mark.own_environment
def test_check_deploy_reports_nothing_with_debug_off(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.own_environment
@pytest.mark.parametrize("kept", OPERATOR_KEYS)
def test_check_deploy_refuses_a_demo_key_of_an_outside_system(tmp_path: Path, kept: str) -> None:
    demo = {"MOTCUA_VNEID_CLIENT_SECRET": "motcua-demo-secret", "MOTCUA_PAYMENT_SECRET": "motcua-demo-payment-key"}
    demo["MOTCUA_POST_SECRET"] = "motcua-demo-post-key"
    demo["MOTCUA_SMS_SECRET"] = "motcua-demo-sms-key"
    demo["MOTCUA_ZALO_ACCESS_TOKEN"] = "motcua-demo-zalo-token"
    demo["MOTCUA_POPULATION_SECRET"] = "motcua-demo-population-key"
    demo["MOTCUA_PORTAL_SECRET"] = "motcua-demo-portal-key"
    demo["MOTCUA_ESIGN_PASSPHRASE"] = "motcua-demo-esign"
    env = production_env(tmp_path)
    env[kept] = demo[kept]
    command = [sys.executable, "manage.py", "check", "--deploy"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert f"{kept} still has the demo value." in result.stderr
    assert sum(name in result.stderr for name in OPERATOR_KEYS) == 1


def settings_values(tmp_path: Path, names: str, **environ: str) -> list[str]:
    code = f"import config.settings as s; print(*[repr(getattr(s, n)) for n in {names.split()!r}], sep='\\n')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(tmp_path, **environ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


SECURITY = "SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SECURE_PROXY_SSL_HEADER SESSION_COOKIE_SECURE MAILERS"


@pytest.mark.own_environment
def test_debug_off_defaults_enforce_https_and_send_mail_to_the_local_relay(tmp_path: Path) -> None:
    redirect, hsts, proxy, cookies, mailers = settings_values(tmp_path, SECURITY)
    assert (redirect, hsts, proxy, cookies) == ("True", "31536000", "None", "True")
    assert "'host': 'localhost', 'port': 25" in mailers


@pytest.mark.own_environment
def test_debug_on_relaxes_https_and_prints_mail(tmp_path: Path) -> None:
    redirect, hsts, proxy, cookies, mailers = settings_values(tmp_path, SECURITY, DEBUG="true")
    assert (redirect, hsts, proxy, cookies) == ("False", "0", "None", "False")
    assert "console.EmailBackend" in mailers


@pytest.mark.own_environment
def test_each_setting_comes_from_the_environment(tmp_path: Path) -> None:
    values = settings_values(
        tmp_path,
        "SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SECURE_HSTS_PRELOAD SECURE_PROXY_SSL_HEADER SECURE_CSP",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_PRELOAD="no",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        CSP_REPORT_ONLY="true",
    )
    assert values == ["False", "600", "False", "('HTTP_X_FORWARDED_PROTO', 'https')", "{}"]


@pytest.mark.parametrize("value", ["X-Forwarded-Proto: https", "X_Forwarded Proto", "Giao-thức"])
def test_a_malformed_proxy_header_stops_the_process(value: str) -> None:
    with pytest.raises(ConfigError, match="must be a header name"):
        Env({"H": value}).proxy_ssl_header("H", "h")


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = Client().get("/thu-tuc/?trang=2")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/thu-tuc/?trang=2"


@pytest.mark.django_db
def test_behind_a_proxy_its_https_header_is_trusted() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert Client().get("/thu-tuc/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
        assert Client().get("/thu-tuc/", headers={"X-Forwarded-Proto": "http"}).status_code == 301


@pytest.mark.django_db
def test_https_answers_carry_hsts_and_the_content_security_policy() -> None:
    response = Client().get("/thu-tuc/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    policy = dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    # motcua's own pages have no inline script or style, so no nonce is even offered.
    assert policy["script-src"] == policy["style-src"] == "'self'"


@pytest.mark.django_db
def test_the_admins_scripts_and_styles_carry_the_nonce_of_the_policy(admin_client: Client) -> None:
    nonces = []
    for _ in range(2):
        response = admin_client.get(reverse("admin:accounts_agency_changelist"))
        policy = dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))
        nonce = re.fullmatch(r"'self' 'nonce-([\w-]{22})'", policy["style-src"])
        assert nonce is not None
        # The admin's own scripts and styles are tagged with it (the csp context processor).
        assert f'nonce="{nonce.group(1)}"' in response.content.decode()
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1]  # fresh for every response


def no_store(response: Any) -> bool:
    return "no-store" in {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_pages_papers_and_files_with_personal_data_are_never_stored(
    w: f.World, clock: Clock, admin_client: Client
) -> None:
    from motcua.dossiers import actions

    dossier = actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure, files=True),
    )
    document = dossier.documents.exclude(file="").first()
    assert document is not None
    office = signed_in(w.receiver)
    answers = {
        "office page": office.get(reverse("office:dossier", args=[dossier.code])),
        "dashboard": office.get(reverse("office:dashboard")),
        "receipt PDF": office.get(reverse("office:paper", args=[dossier.code, "receipt"])),
        "scan": office.get(reverse("office:document", args=[dossier.code, document.pk])),
        "admin list": admin_client.get(reverse("admin:dossiers_dossier_changelist"), {"q": str(dossier.code)}),
        "public status": Client().get(f"/tra-cuu/{dossier.code}/"),
        "not found": Client().get("/tra-cuu/000.00.01.H01-240715-9999/"),
    }
    assert {name: r.status_code for name, r in answers.items() if r.status_code >= 500} == {}
    assert answers["receipt PDF"]["Content-Type"] == "application/pdf"
    assert [name for name, r in answers.items() if not no_store(r)] == []


@pytest.mark.django_db
def test_static_files_keep_their_own_caching() -> None:
    response = Client().get("/static/portal/site.css")
    assert response.status_code == 200
    assert not no_store(response)
