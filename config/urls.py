from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("can-bo/", include("motcua.office.urls")),
    path("", include("motcua.accounts.urls")),
    path("", include("motcua.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
