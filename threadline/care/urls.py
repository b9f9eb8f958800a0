from __future__ import annotations

from django.urls import path

from threadline.care import views
from threadline.care.referral_accept import referral_accept_view
from threadline.care.today import today

URL_PREFIX = "care/"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("today", today, name="today"),  # issue 13
    path("referrals/<str:referral_id>/accept", referral_accept_view, name="referral_accept"),  # issue 13
    path("instruments", views.instruments, name="instruments"),
    path("<str:youth_id>/plan", views.plan, name="plan"),
    path("<str:youth_id>/tasks/<str:task_id>", views.task_state, name="task_state"),
    path("<str:youth_id>/plan/<str:kind>/<str:item_id>", views.plan_item, name="plan_item"),
    path("<str:youth_id>/screenings", views.screenings, name="screenings"),
    path("<str:youth_id>/notes", views.notes, name="notes"),
    path("<str:youth_id>/closure", views.closure, name="closure"),
]
urlpatterns += [
    path("<str:youth_id>/meetings", views.meetings, name="meetings"),
    path("<str:youth_id>/safety-plan", views.safety_plan, name="safety_plan"),
    path("<str:youth_id>/safety-plan/print", views.safety_plan_print, name="safety_plan_print"),
    path("<str:youth_id>/progress", views.progress, name="progress"),
    path("<str:youth_id>/missing-return", views.missing_return, name="missing_return"),
]
