from django.urls import path

from motcua.office.views import dashboard, dossier, feedback, intake, portal_sync

app_name = "office"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("tiep-nhan/", intake.choose_procedure, name="intake"),
    path("tiep-nhan/<slug:slug>/", intake.intake, name="intake_form"),
    path("huong-dan/<int:pk>/", intake.guidance_page, name="guidance"),
    path("huong-dan/<int:pk>/in/", intake.guidance_paper, name="guidance_paper"),
    path("phan-anh/", feedback.feedback_list, name="feedback_list"),
    path("phan-anh/<int:pk>/", feedback.feedback_page, name="feedback"),
    path("dong-bo-dvcqg/", portal_sync.status_page, name="portal_sync"),
    path("dong-bo-dvcqg/<int:pk>/gui-lai/", portal_sync.retry, name="portal_sync_retry"),
    path("ho-so/<str:code>/", dossier.dossier_page, name="dossier"),
    path("ho-so/<str:code>/dien-thoai/", dossier.reveal_phone, name="reveal_phone"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier.act, name="act"),
    path("ho-so/<str:code>/thao-tac/<str:action>/<int:task>/", dossier.act, name="act_step"),
    path("ho-so/<str:code>/giay-to/<str:form>/", dossier.paper, name="paper"),
    path("ho-so/<str:code>/nop-tien/", dossier.cash_payment, name="cash_payment"),
    path("ho-so/<str:code>/giao-buu-dien/", dossier.post_result, name="post_result"),
    path("ho-so/<str:code>/buu-gui/<int:pk>/da-phat/", dossier.delivered, name="delivered"),
    path("ho-so/<str:code>/thanh-toan/<int:pk>/hoan-tien/", dossier.refund, name="refund"),
    path("ho-so/<str:code>/tep/<int:pk>/", dossier.document_file, name="document"),
    path("ho-so/<str:code>/ket-qua/", dossier.result_file, name="result_file"),
]
