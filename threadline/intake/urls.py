from __future__ import annotations

from django.urls import path

from threadline.intake import move_views, refer_views, staff_views
from threadline.intake.views.contacts import contacts
from threadline.intake.views.oncall import acknowledge, dashboard, refer_out_done
from threadline.intake.views.public import refer
from threadline.intake.views.referrals import referral_detail, referrals
from threadline.intake.views.rules import check, program_rules, programs, rota, shift_delete

# Staff pages under /intake/; the public referral page at /refer/.
URL_PREFIX = ""
urlpatterns = [
    path("intake/", dashboard, name="dashboard"),
    path("intake/alerts/<int:alert_id>/acknowledge", acknowledge, name="acknowledge"),
    path("intake/refer-out/<int:task_id>/done", refer_out_done, name="refer_out_done"),
    path("intake/eligibility/", check, name="check"),
    path("intake/programs/", programs, name="programs"),
    path("intake/programs/<slug:slug>/", program_rules, name="program_rules"),
    path("intake/programs/<slug:slug>/rota/", rota, name="rota"),
    path("intake/programs/<slug:slug>/protocols/", staff_views.county_protocols, name="county_protocols"),
    path(
        "intake/programs/<slug:slug>/rota/shifts/<int:shift_id>/delete",
        shift_delete,
        name="shift_delete",
    ),
    path("intake/referrals/", referrals, name="referrals"),
    # Issue 13: staff intake, routing, field response (before the <referral_id> route).
    path("intake/referrals/new/", staff_views.referral_new, name="referral_new"),
    path("intake/referrals/sent/", staff_views.referral_sent, name="referral_sent"),
    path("intake/referrals/<str:referral_id>/reroute", staff_views.referral_reroute, name="referral_reroute"),
    path("intake/referrals/<str:referral_id>/unlink", staff_views.referral_unlink, name="referral_unlink"),
    path("intake/referrals/<str:referral_id>/field/", staff_views.field_response, name="field_response"),
    path("intake/contacts/<str:contact_id>/refer", staff_views.contact_refer, name="contact_refer"),
    path("intake/referrals/<str:referral_id>/", referral_detail, name="referral_detail"),
    path("intake/contacts/", contacts, name="contacts"),
    # Issue 14: a youth who moves (another region of the program, or another program).
    path("intake/youth/<str:youth_id>/move", move_views.youth_move, name="youth_move"),
    path("intake/youth/<str:youth_id>/transfer", move_views.youth_transfer, name="youth_transfer"),
    path("intake/transfers/", move_views.transfers, name="transfers"),
    path("intake/transfers/<str:transfer_id>/answer", move_views.transfer_answer, name="transfer_answer"),
    path("refer/", refer, name="refer"),
    path("refer/thanks/", refer_views.refer_thanks, name="refer_thanks"),
]
