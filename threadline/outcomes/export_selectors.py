"""Row-level exports of the program's own records (referrals, HMIS): the rows, read once per export."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from threadline.accounts.models import Membership
from threadline.outcomes.measures.facts import (
    Period,
)

# Youth ids as text, read straight from the database: no UUID object per row (the same text in every
# query of one load, which is all an opaque key needs).
from threadline.outcomes.selectors import (
    SID,
    Facts,
    bounds,
    scope_for,
)


@dataclass(frozen=True)
class ReferralRow:
    reference: str
    received_at: dt.datetime
    channel: str
    source: str
    concern: str
    urgent: bool
    county: str
    age: int | None
    status: str
    first_contact_at: dt.datetime | None


def referral_rows(*, membership: Membership, period: Period) -> list[ReferralRow]:
    """The program's referrals received in the period, coarse columns only (no name, no words of the
    referrer), through the intake queue's own scope."""
    from threadline.intake.selectors import referral_queue

    start, end = bounds(period)
    rows = (
        referral_queue(membership=membership)
        .filter(received_at__gte=start, received_at__lt=end)
        .order_by("received_at")
        .values_list(
            "reference",
            "received_at",
            "channel",
            "source",
            "concern",
            "urgent",
            "county",
            "age",
            "status",
            "first_contact_at",
        )
    )
    return [ReferralRow(*row) for row in rows]


@dataclass(frozen=True)
class HmisData:
    youth_ids: list[uuid.UUID]
    clients: list[Any]
    enrollments: list[Any]


def hmis_rows(*, membership: Membership, period: Period) -> HmisData:
    """Clients and enrollments for the HMIS-comparable export: the youths this person may see in the
    identity category (``access.visible_youth``) whom their organization served in the period. The
    caller ledgers one row per youth, in its transaction."""
    from threadline.access.categories import Category
    from threadline.outcomes.exports.hmis import HmisClient, HmisEnrollment
    from threadline.youth.policy import visible_youth

    facts = Facts(scope=scope_for(membership), period=period)
    served = facts.served_youth_ids()
    numbers = facts._numbers
    spans = {span.youth: span for span in facts.spans}
    clients: list[Any] = []
    enrollments: list[Any] = []
    ids: list[uuid.UUID] = []
    queryset = (
        visible_youth(membership, Category.IDENTITY)
        .filter(pk__in=facts._youth_ids())
        .select_related("data_key")
        .only("id", "reference", "gender_identity", "data_key", "created_at", "updated_at")
        .annotate(sid=SID)
        .order_by("reference")
    )
    for youth in queryset.iterator(chunk_size=2000):
        if youth.sid not in served:
            continue
        ids.append(youth.pk)
        clients.append(
            HmisClient(youth.reference, str(youth.gender_identity or ""), youth.created_at, youth.updated_at)
        )
        span = spans[numbers[youth.sid]]
        exit_date = span.end if span.end is not None and span.end <= period.end else None
        enrollments.append(HmisEnrollment(f"E{youth.reference[2:]}", youth.reference, span.start, exit_date))
    return HmisData(ids, clients, enrollments)
