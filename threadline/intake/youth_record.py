"""The youth's record page lists the referrals that concern this youth (issue 13 left-over): for
those who take referrals in the programs that received them (the intake queue's own scope), so each
link opens. Coarse columns only: the words of the referral are read on its own page (ledgered)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.intake.selectors import referrals_concerning
from threadline.youth.record_panels import PanelGroup, RecordPanel, dated_row

if TYPE_CHECKING:
    from threadline.accounts.models import Membership
    from threadline.youth.policy import Opened


def panel(*, membership: Membership | None, opened: Opened) -> RecordPanel | None:
    if membership is None or not may(membership, Action.TAKE_REFERRALS):
        return None
    rows = [
        dated_row(
            r.reference,
            reverse("intake:referral_detail", args=[r.pk]),
            r.received_at,
            [
                str(r.get_channel_display()),
                str(r.get_status_display()),
                *([str(_("urgent"))] if r.urgent else []),
            ],
        )
        for r in referrals_concerning(membership=membership, youth=opened.youth)
    ]
    group = PanelGroup(
        title=_("Referrals received about this youth"),
        rows=rows,
        empty=_("No referral is linked to this record."),
    )
    return RecordPanel(key="referrals", order=10, groups=[group])
