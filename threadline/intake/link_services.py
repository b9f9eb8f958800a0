"""Undo a referral's link to a youth record (issue 13): a coordinator who linked the wrong record can
unlink it. One transaction: the referral goes back to the status it had before the link, the record's
timeline says the referral was unlinked (by reference only), and the ledger has a row. A case note
written on acceptance stays in the record: it is part of what happened there."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import require
from threadline.intake import timeline_messages as msg
from threadline.intake.ledger_rows import record_row, referral_on_timeline
from threadline.intake.models import Referral
from threadline.intake.selectors import referral_locked
from threadline.intake.text import said
from threadline.youth.policy import access_youth


def referral_unlink(*, membership: Membership, referral_id: object, reason: str) -> Referral:
    require(membership, Action.UNLINK_REFERRAL)
    reason = said(reason, field="reason", limit=300, missing=_("Say why the link was wrong."))
    with transaction.atomic():
        referral = referral_locked(membership=membership, referral_id=referral_id)
        if referral.youth_id is None:
            return referral
        youth = access_youth(
            membership, referral.youth_id, Category.IDENTITY, write=True, purpose="unlink referral"
        )
        referral.youth = None
        referral.status = referral.status_before_link or Referral.Status.RECEIVED
        referral.status_before_link = ""
        referral.status_reason = reason
        referral.updated_at = timezone.now()
        referral.save(update_fields=["youth", "status", "status_before_link", "status_reason", "updated_at"])
        unlinked = msg.REFERRAL_UNLINKED(reference=referral.reference)
        referral_on_timeline(membership, youth, referral, "referral_unlinked", unlinked)
        record_row(membership, referral, "unlink", "referral unlinked from youth record", youth_id=youth.pk)
    return referral
