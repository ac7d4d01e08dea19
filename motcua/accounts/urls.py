from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-nhap/xac-thuc/", views.second_factor, name="second_factor"),
    path("dang-nhap/xac-thuc/dang-ky/", views.enrol, name="enrol"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
]
