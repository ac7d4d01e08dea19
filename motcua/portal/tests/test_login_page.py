from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.portal.tests.test_pages import text_of


@pytest.mark.django_db
def test_login_page_renders_in_the_site_layout(client: Client) -> None:
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html and "csrfmiddlewaretoken" in html
    text = text_of(response)
    assert "Đăng nhập" in text and "Tên đăng nhập" in text and "Mật khẩu" in text
    assert 'aria-current="page">Đăng nhập' in html


@pytest.mark.django_db
def test_wrong_password_is_explained_and_right_one_logs_in(client: Client) -> None:
    get_user_model().objects.create_user("canbo", password="mat-khau-dung-1")
    wrong = client.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
    assert wrong.status_code == 200
    assert 'role="alert"' in wrong.content.decode()
    right = client.post("/dang-nhap/", {"username": "canbo", "password": "mat-khau-dung-1", "next": "/thu-tuc/"})
    assert right.status_code == 302 and right["Location"] == "/thu-tuc/"
    home = text_of(client.get("/"))
    assert "Đăng xuất (canbo)" in home
