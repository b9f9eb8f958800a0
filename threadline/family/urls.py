from __future__ import annotations

from django.urls import path

from threadline.family.views import family_client, family_list, family_new

URL_PREFIX = "family/"
urlpatterns = [
    path("", family_list, name="list"),
    path("new/<str:youth_id>", family_new, name="new"),
    path("<str:client_id>/", family_client, name="client"),
]
