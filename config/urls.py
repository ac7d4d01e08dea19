from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from motcua.api.main import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("can-bo/", include("motcua.office.urls")),
    path("", include("motcua.reports.urls")),
    path("", include("motcua.accounts.urls")),
    path("", include("motcua.portal.urls")),
]
# Nothing under MEDIA_URL is served, in any mode: stored files leave only through views that check the
# user's scope and log the access (office document and result views, the portal's public form templates).
