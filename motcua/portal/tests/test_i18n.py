"""Vietnamese by default, whatever the browser's language; English through the switch (its cookie)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from motcua.catalogue.models import ProcedureVersion
from motcua.portal.tests.test_pages import detail_url, text_of


def test_vietnamese_is_the_default_even_for_unknown_languages(
    client: Client, catalogue: dict[str, ProcedureVersion]
) -> None:
    response = client.get("/thu-tuc/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="vi">' in response.content.decode()
    assert "Thủ tục hành chính" in text_of(response)


def test_an_english_browser_still_gets_vietnamese(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    # Many phones and counter PCs in Vietnam run an English-language system.
    response = client.get(detail_url(catalogue["khai_sinh"]), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()
    assert "Thành phần hồ sơ" in text_of(response)


def test_english_labels_when_chosen(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(detail_url(catalogue["khai_sinh"]))
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    text = text_of(response)
    assert "Administrative procedures" in text
    assert "Documents required" in text
    assert "Fees and charges" in text
    assert "Processing time Same day" in text
    assert "Commune level" in text
    # labels translate; catalogue content stays as published, in Vietnamese
    assert "Tờ khai đăng ký khai sinh Original 1 copy Required" in text
    assert "Lệ phí đăng ký lại Set by the provincial People's Council" in text
    assert "Fully online" in text


def test_language_cookie_en_shows_english_labels(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = text_of(client.get("/"))
    assert "Find an administrative procedure" in text
    assert "Civil status 4 procedures" not in text  # field names are catalogue data, not UI
    assert "Hộ tịch 4 procedures" in text
    text = text_of(client.get("/thu-tuc/", {"q": "khai sinh"}))
    assert "Found 3 procedures for “khai sinh”." in text


def test_language_switch_sets_the_cookie_and_returns(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/?q=khai+sinh"})
    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/?q=khai+sinh"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Found 3 procedures" in text_of(client.get(response["Location"]))
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Tra cứu thủ tục hành chính" in text_of(client.get("/"))
