"""URLs. Each app with a ``urls.py`` is mounted at its ``URL_PREFIX`` (default ``<label>/``)."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from allauth.usersessions.views import ListUserSessionsView
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from threadline import views
from threadline.api.api import api
from threadline.discovery import app_modules

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/language", views.set_language, name="set_language"),
    path("organization", views.switch_organization, name="switch_organization"),
    # ASVS 7.5.2: seeing one's devices is free; ending them asks for the password or a factor again
    # (unless given in the last five minutes), so a borrowed unlocked phone cannot sign the owner out.
    path(
        "accounts/sessions/",
        reauthentication_required(ListUserSessionsView.as_view(), allow_get=True),
        name="usersessions_list",
    ),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

for label, module in app_modules("urls"):
    if label == "api":
        continue
    prefix = getattr(module, "URL_PREFIX", f"{label}/")
    urlpatterns.append(path(prefix, include((module.urlpatterns, label), namespace=label)))

handler400 = "threadline.views.error_400"
handler403 = "threadline.views.error_403"
handler404 = "threadline.views.error_404"
handler500 = "threadline.views.error_500"
