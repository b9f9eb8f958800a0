from __future__ import annotations

from django.urls import path

from threadline.intake import refer_views, staff_views, views

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
    path("intake/programs/<slug:slug>/protocols/", staff_views.county_protocols, name="county_protocols"),
    path(
        "intake/programs/<slug:slug>/rota/shifts/<int:shift_id>/delete",
        views.shift_delete,
        name="shift_delete",
    ),
    path("intake/referrals/", views.referrals, name="referrals"),
    # Issue 13: staff intake, routing, field response (before the <referral_id> route).
    path("intake/referrals/new/", staff_views.referral_new, name="referral_new"),
    path("intake/referrals/sent/", staff_views.referral_sent, name="referral_sent"),
    path("intake/referrals/<str:referral_id>/reroute", staff_views.referral_reroute, name="referral_reroute"),
    path("intake/referrals/<str:referral_id>/unlink", staff_views.referral_unlink, name="referral_unlink"),
    path("intake/referrals/<str:referral_id>/field/", staff_views.field_response, name="field_response"),
    path("intake/contacts/<str:contact_id>/refer", staff_views.contact_refer, name="contact_refer"),
    path("intake/referrals/<str:referral_id>/", views.referral_detail, name="referral_detail"),
    path("intake/contacts/", views.contacts, name="contacts"),
    path("refer/", views.refer, name="refer"),
    path("refer/thanks/", refer_views.refer_thanks, name="refer_thanks"),
]
