from __future__ import annotations

from django.urls import path

from threadline.care import views

URL_PREFIX = "care/"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("<str:youth_id>/plan", views.plan, name="plan"),
    path("<str:youth_id>/tasks/<str:task_id>", views.task_state, name="task_state"),
    path("<str:youth_id>/screenings", views.screenings, name="screenings"),
    path("<str:youth_id>/notes", views.notes, name="notes"),
    path("<str:youth_id>/closure", views.closure, name="closure"),
]
