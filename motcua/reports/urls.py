from django.urls import path, re_path

from motcua.reports import views

app_name = "reports"
urlpatterns = [
    path("bao-cao/", views.dashboard, name="dashboard"),
    path("bao-cao/ho-so/", views.dossier_list, name="dossiers"),
    path("bao-cao/ho-so/<str:code>/", views.dossier_steps, name="dossier"),
    re_path(r"^bao-cao/xuat/(?P<name>[a-z0-9-]{1,40})\.(?P<fmt>xlsx|pdf)$", views.export, name="export"),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    re_path(r"^du-lieu-mo/bieu-06\.(?P<fmt>csv|json)$", views.open_data_file, name="open_data_file"),
]
