from __future__ import annotations

from django.urls import path

from threadline.youth.views.consent_files import consent_file_download, consent_file_upload
from threadline.youth.views.details import (
    alias_add,
    contact_way_add,
    household_add,
    meeting_preference,
    missing,
    placement_add,
)
from threadline.youth.views.record import (
    access_history,
    timeline,
    youth_detail,
    youth_edit,
    youth_list,
    youth_new,
)
from threadline.youth.views.sharing import break_glass, break_glass_review, consents, team

URL_PREFIX = "youth/"
urlpatterns = [
    path("", youth_list, name="list"),
    path("new", youth_new, name="new"),
    path("emergency-access", break_glass, name="break_glass"),
    path("emergency-access/<str:grant_id>", break_glass_review, name="break_glass_review"),
    path("<str:youth_id>/", youth_detail, name="detail"),
    path("<str:youth_id>/edit", youth_edit, name="edit"),
    path("<str:youth_id>/aliases", alias_add, name="alias_add"),
    path("<str:youth_id>/contact-ways", contact_way_add, name="contact_way_add"),
    path("<str:youth_id>/household", household_add, name="household_add"),
    path("<str:youth_id>/meeting", meeting_preference, name="meeting_preference"),
    path("<str:youth_id>/placements", placement_add, name="placement_add"),
    path("<str:youth_id>/missing", missing, name="missing"),
    path("<str:youth_id>/team", team, name="team"),
    path("<str:youth_id>/consents", consents, name="consents"),
    path(
        "<str:youth_id>/consents/<str:consent_id>/form",
        consent_file_upload,
        name="consent_file_upload",
    ),
    path(
        "<str:youth_id>/consent-forms/<str:file_id>",
        consent_file_download,
        name="consent_file_download",
    ),
    path("<str:youth_id>/timeline", timeline, name="timeline"),
    path("<str:youth_id>/access", access_history, name="access_history"),
]
