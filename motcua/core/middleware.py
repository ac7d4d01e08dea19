"""Request middleware: Vietnamese-first language choice, no caching of pages with personal data.

Vietnamese first: Django's LocaleMiddleware follows the browser's Accept-Language, but many phones and counter PCs in
Vietnam run an English-language system; their users still expect the public service in Vietnamese.
So only the language cookie set by the switch (Django's set_language view) changes the language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response Django itself produces.

    Office and admin pages, papers (PDF), the public status page and file downloads all carry
    personal data, and even a public page names the signed-in user; no browser cache or proxy may
    keep any of them. Static files do not pass through here: WhiteNoise, earlier in MIDDLEWARE,
    answers them with their own long-lived caching headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response
