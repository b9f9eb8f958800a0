"""Find records that may be one youth: each youth's record is compared, like a referral, with the
youths its blocking keys find across the installation, and every pair scored at or above the review
threshold waits in the coordinators' review queue (``review.py``, ``review_services.py``).

The scan is work nobody does on a page (a job after a youth's searchable details change, or
``manage.py matching_scan_duplicates``): it shows nothing to anyone, so it writes no ledger row; the
queue ledgers what each coordinator is shown.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from threadline.matching.engine import LOWER
from threadline.matching.index import person_of
from threadline.matching.models import DuplicatePair, MatchProfile
from threadline.matching.selectors import score_person


def ordered(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The pair's two ids, smaller first (one row per unordered pair)."""
    return (a, b) if a.int < b.int else (b, a)


def duplicates_scan(*, youth_id: Any) -> int:
    """Score one youth against the records blocking finds; keep the open pairs at or above the review
    threshold up to date (decided pairs stay decided). Idempotent. Returns how many pairs are open."""
    pk = uuid.UUID(str(youth_id))
    from threadline.youth.policy import youth_for_maintenance

    today = timezone.localdate()
    with transaction.atomic():
        row = MatchProfile.objects.filter(youth_id=pk).select_related("youth__data_key").first()
        mine = Q(first_id=pk) | Q(second_id=pk)
        if row is None:  # merged away, or gone from the index: nothing of it waits for review
            DuplicatePair.objects.filter(mine, status=DuplicatePair.Status.OPEN).delete()
            return 0
        found = score_person(
            person=person_of(row.data, today), visible=youth_for_maintenance(), today=today, exclude=[pk]
        )
        kept = {f.youth_id: f for f in found if f.probability >= LOWER}
        stale = DuplicatePair.objects.filter(mine, status=DuplicatePair.Status.OPEN)
        for pair in stale:
            other = pair.second_id if pair.first_id == pk else pair.first_id
            if other not in kept:
                pair.delete()
        for other, f in kept.items():
            first, second = ordered(pk, other)
            values = {
                "probability": f.probability,
                "contributions": [[c.comparison, c.level, round(c.weight, 3)] for c in f.contributions],
                "scored_at": timezone.now(),
            }
            updated = DuplicatePair.objects.filter(
                first_id=first, second_id=second, status=DuplicatePair.Status.OPEN
            ).update(**values)
            if not updated and not DuplicatePair.objects.filter(first_id=first, second_id=second).exists():
                DuplicatePair.objects.create(first_id=first, second_id=second, **values)
    return len(kept)


def duplicates_scan_all() -> int:
    """Scan every indexed youth (after installing the queue, or after a model change)."""
    ids = list(MatchProfile.objects.values_list("youth_id", flat=True))
    for pk in ids:
        duplicates_scan(youth_id=pk)
    return len(ids)
