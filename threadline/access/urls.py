"""Scanned consent forms, under the youth's releases page."""

from __future__ import annotations

from django.urls import path

from threadline.access import views

URL_PREFIX = "youth/"
urlpatterns = [
    path(
        "<str:youth_id>/consents/<str:consent_id>/form",
        views.consent_file_upload,
        name="consent_file_upload",
    ),
    path(
        "<str:youth_id>/consent-forms/<str:file_id>",
        views.consent_file_download,
        name="consent_file_download",
    ),
]
