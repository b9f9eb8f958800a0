"""The program admin's home page names the partner agreements ending soon (found by
``threadline.discovery``; the page shell does not know this room)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.network.agreement_services import reminder_days
from threadline.network.selectors import agreements_expiring


def notices(membership: Membership | None) -> list[dict[str, str]]:
    if membership is None or not may(membership, Action.RECEIVE_AGREEMENT_REMINDERS):
        return []
    ending = agreements_expiring(membership=membership, days=reminder_days())
    if not ending:
        return []
    text = _("Partner agreements ending within %(days)s days: %(n)s. Renew them or let them end.") % {
        "n": len(ending),
        "days": reminder_days(),
    }
    return [{"text": text, "url": reverse("network:partners")}]
