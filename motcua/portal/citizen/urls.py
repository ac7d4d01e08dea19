from django.urls import path

from motcua.portal.citizen import mine, submit

# Part of motcua.portal.urls (the "portal" namespace); the signed-in citizen's pages.
urlpatterns = [
    path("nop-truc-tuyen/<slug:slug>/", submit.start, name="submit"),
    path("ca-nhan/", mine.my_dossiers, name="my_dossiers"),
    path("ca-nhan/nhap/<int:pk>/", submit.resume, name="draft"),
    path("ca-nhan/nhap/<int:pk>/giay-to/<int:document>/xoa/", submit.remove_document, name="draft_remove"),
    path("ca-nhan/ho-so/<str:code>/", mine.my_dossier, name="my_dossier"),
    path("ca-nhan/ho-so/<str:code>/ket-qua/", mine.result_file, name="my_result"),
    path("ca-nhan/ho-so/<str:code>/bo-sung/", mine.supplement, name="my_supplement"),
    path("ca-nhan/ho-so/<str:code>/rut/", mine.withdraw, name="my_withdraw"),
    path("ca-nhan/ho-so/<str:code>/danh-gia/", mine.rate, name="my_rate"),
    path("ca-nhan/ho-so/<str:code>/phan-anh/", mine.feedback, name="my_feedback"),
]
