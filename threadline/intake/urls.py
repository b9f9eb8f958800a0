from __future__ import annotations

from django.urls import path

from threadline.intake import views

URL_PREFIX = "intake/"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("alerts/<int:alert_id>/acknowledge", views.acknowledge, name="acknowledge"),
    path("refer-out/<int:task_id>/done", views.refer_out_done, name="refer_out_done"),
    path("eligibility/", views.check, name="check"),
    path("programs/", views.programs, name="programs"),
    path("programs/<slug:slug>/", views.program_rules, name="program_rules"),
    path("programs/<slug:slug>/rota/", views.rota, name="rota"),
    path("programs/<slug:slug>/rota/shifts/<int:shift_id>/delete", views.shift_delete, name="shift_delete"),
]
