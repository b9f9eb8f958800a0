from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.nav import NavItem

ITEMS = [
    NavItem(_("Service referrals"), "referrals:dashboard", Action.SEND_SERVICE_REFERRALS, 36),
    NavItem(_("Referral inbox"), "referrals:inbox", Action.ANSWER_SERVICE_REFERRALS, 37),
]
