from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.nav import NavItem

ITEMS = [
    NavItem(_("Intake and on call"), "intake:dashboard", Action.TAKE_REFERRALS, 10),
    NavItem(_("Referrals"), "intake:referrals", Action.TAKE_REFERRALS, 11),
    NavItem(_("Eligibility check"), "intake:check", Action.TAKE_REFERRALS, 12),
    NavItem(_("Contact log"), "intake:contacts", Action.TAKE_REFERRALS, 13),
    NavItem(_("Enter a referral"), "intake:referral_new", Action.ENTER_REFERRAL, 14),
    NavItem(_("Transfers"), "intake:transfers", Action.TRANSFER_YOUTH, 15),
    NavItem(_("Programs and on-call rota"), "intake:programs", Action.MANAGE_PROGRAM, 80),
]
