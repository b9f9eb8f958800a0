from __future__ import annotations

from django.urls import path

from threadline.intake import views

# Staff pages under /intake/; the public referral page at /refer/.
URL_PREFIX = ""
urlpatterns = [
    path("intake/", views.dashboard, name="dashboard"),
    path("intake/alerts/<int:alert_id>/acknowledge", views.acknowledge, name="acknowledge"),
    path("intake/refer-out/<int:task_id>/done", views.refer_out_done, name="refer_out_done"),
    path("intake/eligibility/", views.check, name="check"),
    path("intake/programs/", views.programs, name="programs"),
    path("intake/programs/<slug:slug>/", views.program_rules, name="program_rules"),
    path("intake/programs/<slug:slug>/rota/", views.rota, name="rota"),
    path(
        "intake/programs/<slug:slug>/rota/shifts/<int:shift_id>/delete",
        views.shift_delete,
        name="shift_delete",
    ),
    path("intake/referrals/", views.referrals, name="referrals"),
    path("intake/referrals/<str:referral_id>/", views.referral_detail, name="referral_detail"),
    path("intake/contacts/", views.contacts, name="contacts"),
    path("refer/", views.refer, name="refer"),
]
