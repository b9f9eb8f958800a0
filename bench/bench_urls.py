"""The app's URLs plus the floor view of ``bench_paths``: a minimal Django view that returns the bytes
a page returned, through the same middleware (sessions, sign-in, MFA, CSP, locale), with no query and
no template of its own."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BODIES: dict[str, bytes] = {}


def floor(request: HttpRequest, key: str) -> HttpResponse:
    return HttpResponse(BODIES[key], content_type="text/html; charset=utf-8")


urlpatterns = [
    path("__bench_floor__/<str:key>", floor),
    path("", include("threadline.urls")),
]
