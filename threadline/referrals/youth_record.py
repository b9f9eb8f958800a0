"""The youth's record page lists the service referrals made for this youth (issue 13 left-over):
for those who send service referrals and see the youth's care plan (the same rule as the youth's
referrals page, so each link opens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from threadline.access.categories import Category
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.referrals.work_selectors import service_referrals_for_record
from threadline.youth.record_panels import PanelGroup, RecordPanel, dated_row

if TYPE_CHECKING:
    from threadline.accounts.models import Membership
    from threadline.youth.policy import Opened


def panel(*, membership: Membership | None, opened: Opened) -> RecordPanel | None:
    if not may(membership, Action.SEND_SERVICE_REFERRALS) or not opened.allows(Category.CARE_PLAN):
        return None
    rows = [
        dated_row(
            r.provider.name,
            reverse("referrals:detail", args=[r.pk]),
            r.created_at,
            [str(r.get_need_domain_display()), str(r.get_state_display())],
        )
        for r in service_referrals_for_record(youth=opened.youth)
    ]
    group = PanelGroup(
        title=_("Service referrals made for this youth"),
        rows=rows,
        empty=_("No service referral yet."),
        more_url=reverse("referrals:youth", args=[opened.youth.pk]),
        more_label=_("Refer to a service"),
    )
    return RecordPanel(key="referrals", order=20, groups=[group])
