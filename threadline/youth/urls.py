from __future__ import annotations

from django.urls import path

from threadline.youth import views

URL_PREFIX = "youth/"
urlpatterns = [
    path("", views.youth_list, name="list"),
    path("new", views.youth_new, name="new"),
    path("emergency-access", views.break_glass, name="break_glass"),
    path("emergency-access/<str:grant_id>", views.break_glass_review, name="break_glass_review"),
    path("<str:youth_id>/", views.youth_detail, name="detail"),
    path("<str:youth_id>/edit", views.youth_edit, name="edit"),
    path("<str:youth_id>/aliases", views.alias_add, name="alias_add"),
    path("<str:youth_id>/contact-ways", views.contact_way_add, name="contact_way_add"),
    path("<str:youth_id>/household", views.household_add, name="household_add"),
    path("<str:youth_id>/placements", views.placement_add, name="placement_add"),
    path("<str:youth_id>/missing", views.missing, name="missing"),
    path("<str:youth_id>/team", views.team, name="team"),
    path("<str:youth_id>/consents", views.consents, name="consents"),
    path("<str:youth_id>/timeline", views.timeline, name="timeline"),
    path("<str:youth_id>/access", views.access_history, name="access_history"),
]
