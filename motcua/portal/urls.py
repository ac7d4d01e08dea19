from django.urls import path

from motcua.portal import payment, postal, signin, signin_code, status, verify, views
from motcua.portal.citizen import urls as citizen

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<slug:slug>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<slug:slug>/mau/<int:pk>/", views.form_template, name="form_template"),
    path("tra-cuu/", status.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", status.dossier_status, name="status"),
    path("xac-thuc/", verify.verify_upload, name="verify"),
    path("xac-thuc/<str:code>/", verify.verify_code, name="verify_code"),
    path("dang-nhap-cong-dan/", signin.choose, name="signin"),
    path("dang-nhap-cong-dan/vneid/", signin.vneid_start, name="vneid_start"),
    path("vneid/callback/", signin.vneid_callback, name="vneid_callback"),
    path("dang-nhap-cong-dan/ma/", signin_code.request_code, name="code_request"),
    path("dang-nhap-cong-dan/ma-sms/", signin_code.request_sms_code, name="code_request_sms"),
    path("dang-nhap-cong-dan/ma/xac-nhan/", signin_code.verify_code, name="code_verify"),
    path("dang-nhap-cong-dan/ma/dang-ky/", signin_code.register, name="code_register"),
    path("thanh-toan/<str:code>/", payment.pay, name="payment"),
    path("thanh-toan/<str:code>/ket-qua/", payment.payment_return, name="payment_return"),
    path("cong-thanh-toan/thong-bao/", payment.payment_callback, name="payment_callback"),
    path("buu-chinh/thong-bao/", postal.post_webhook, name="post_webhook"),
    *citizen.urlpatterns,
]
