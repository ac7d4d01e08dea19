from django.urls import path

from motcua.portal import status, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<slug:slug>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<slug:slug>/mau/<int:pk>/", views.form_template, name="form_template"),
    path("tra-cuu/", status.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", status.dossier_status, name="status"),
]
