from __future__ import annotations

from django.urls import path

from threadline.care.referral_accept import referral_accept_view
from threadline.care.today import today
from threadline.care.views.closure import closure
from threadline.care.views.instruments import instruments
from threadline.care.views.meetings import meetings
from threadline.care.views.missing import missing_return
from threadline.care.views.notes import notes
from threadline.care.views.plan import plan, plan_item, task_state
from threadline.care.views.progress import progress
from threadline.care.views.safety import safety_plan, safety_plan_print
from threadline.care.views.screenings import screenings
from threadline.care.views.work import my_work

URL_PREFIX = "care/"
urlpatterns = [
    path("", my_work, name="my_work"),
    path("today", today, name="today"),  # issue 13
    path("referrals/<str:referral_id>/accept", referral_accept_view, name="referral_accept"),  # issue 13
    path("instruments", instruments, name="instruments"),
    path("<str:youth_id>/plan", plan, name="plan"),
    path("<str:youth_id>/tasks/<str:task_id>", task_state, name="task_state"),
    path("<str:youth_id>/plan/<str:kind>/<str:item_id>", plan_item, name="plan_item"),
    path("<str:youth_id>/screenings", screenings, name="screenings"),
    path("<str:youth_id>/notes", notes, name="notes"),
    path("<str:youth_id>/closure", closure, name="closure"),
]
urlpatterns += [
    path("<str:youth_id>/meetings", meetings, name="meetings"),
    path("<str:youth_id>/safety-plan", safety_plan, name="safety_plan"),
    path("<str:youth_id>/safety-plan/print", safety_plan_print, name="safety_plan_print"),
    path("<str:youth_id>/progress", progress, name="progress"),
    path("<str:youth_id>/missing-return", missing_return, name="missing_return"),
]
