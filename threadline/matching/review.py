"""Reads for the coordinators' review queue: possible duplicate records, each with its probability and
the agreement weight of every field compared, and the merges that may still be undone.

Through the policy: a pair is listed only when the reader may identify BOTH youths (either one hidden:
the pair does not exist for them); the buttons show only when they may change both. One ledger row
per youth shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.matching import explain
from threadline.matching.engine import Band, band_of
from threadline.matching.model import Contribution
from threadline.matching.models import DuplicatePair, MergeRecord
from threadline.youth.policy import visible_youth

if TYPE_CHECKING:
    from threadline.accounts.models import Membership
    from threadline.youth.models import Youth

QUEUE_LIMIT = 50


@dataclass(frozen=True)
class Side:
    youth_id: uuid.UUID
    reference: str
    name: str
    date_of_birth: Any
    age: int | None


@dataclass(frozen=True)
class Evidence:
    phrase: str
    weight: float

    @property
    def agrees(self) -> bool:
        return self.weight >= 0


@dataclass(frozen=True)
class PairRow:
    pair_id: uuid.UUID
    version: int
    probability: float
    first: Side
    second: Side
    evidence: tuple[Evidence, ...]
    may_decide: bool

    @property
    def sides(self) -> tuple[Side, Side]:
        return (self.first, self.second)

    @property
    def percent(self) -> str:
        value = self.probability * 100
        return ">99.9" if value >= 99.9 else f"{value:.1f}"

    @property
    def band_label(self) -> str:
        if band_of(self.probability) == Band.SAME:
            return _("Very likely the same youth")
        return _("Needs review")


@dataclass(frozen=True)
class MergeRow:
    merge_id: uuid.UUID
    merged: Side
    survivor: Side
    merged_at: Any
    may_undo: bool


def _side(youth: Youth) -> Side:
    return Side(
        youth_id=youth.pk,
        reference=youth.reference,
        name=str(youth.preferred_name or youth.legal_name or youth.reference),
        date_of_birth=youth.date_of_birth,
        age=youth.estimated_age,
    )


def _evidence(raw: list[Any]) -> tuple[Evidence, ...]:
    items = [Contribution(str(c), str(level), float(w)) for c, level, w in raw]
    items.sort(key=lambda c: -abs(c.weight))
    return tuple(Evidence(explain.phrase(c), c.weight) for c in items)


def _merged_now() -> Any:
    return MergeRecord.objects.filter(undone_at__isnull=True)


def _shown(membership: Membership, youths: dict[uuid.UUID, Youth], purpose: str) -> None:
    ledger.youths_shown(membership, youths, action="view", category=Category.IDENTITY, purpose=purpose)


def _opened(
    membership: Membership, visible: Any, ids: set[uuid.UUID], purpose: str
) -> tuple[dict[uuid.UUID, Youth], set[uuid.UUID]]:
    """The records ``ids`` this person may identify (opened, and ledgered as shown for ``purpose``),
    and those of them they may also change."""
    youths = {y.pk: y for y in visible.filter(pk__in=ids).select_related("data_key")}
    writable = set(
        visible_youth(membership, Category.IDENTITY, write=True)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    _shown(membership, youths, purpose)
    return youths, writable


def _pair_row(pair: DuplicatePair, youths: dict[uuid.UUID, Youth], *, may_decide: bool) -> PairRow:
    return PairRow(
        pair_id=pair.pk,
        version=pair.version,
        probability=pair.probability,
        first=_side(youths[pair.first_id]),
        second=_side(youths[pair.second_id]),
        evidence=_evidence(pair.contributions),
        may_decide=may_decide,
    )


def review_queue(*, membership: Membership, limit: int = QUEUE_LIMIT) -> list[PairRow]:
    """Open possible duplicates whose both records this person may identify, most likely first.
    Pairs with a record merged since are left out (its survivor is compared instead)."""
    if not may(membership, Action.MERGE_YOUTH):
        raise PermissionDenied
    visible = visible_youth(membership, Category.IDENTITY)
    merged = _merged_now().filter(merged_id=OuterRef("pk"))
    shown_ids = visible.filter(~Exists(merged)).values("pk")
    with transaction.atomic():
        pairs = list(
            DuplicatePair.objects.filter(
                status=DuplicatePair.Status.OPEN, first_id__in=shown_ids, second_id__in=shown_ids
            ).order_by("-probability", "pk")[:limit]
        )
        ids = {pk for p in pairs for pk in (p.first_id, p.second_id)}
        youths, writable = _opened(membership, visible, ids, "review possible duplicate records")
    return [_pair_row(p, youths, may_decide={p.first_id, p.second_id} <= writable) for p in pairs]


def recent_merges(*, membership: Membership, limit: int = 20) -> list[MergeRow]:
    """Merges in force whose both records this person may identify, newest first (to undo one)."""
    if not may(membership, Action.MERGE_YOUTH):
        raise PermissionDenied
    visible = visible_youth(membership, Category.IDENTITY)
    ids = visible.values("pk")
    with transaction.atomic():
        records = list(
            _merged_now()
            .filter(Q(merged_id__in=ids) & Q(survivor_id__in=ids))
            .order_by("-merged_at", "pk")[:limit]
        )
        wanted = {pk for r in records for pk in (r.merged_id, r.survivor_id)}
        youths, writable = _opened(membership, visible, wanted, "review merged records")
    return [
        MergeRow(
            merge_id=r.pk,
            merged=_side(youths[r.merged_id]),
            survivor=_side(youths[r.survivor_id]),
            merged_at=r.merged_at,
            may_undo={r.merged_id, r.survivor_id} <= writable,
        )
        for r in records
    ]


def pair_for_decision(*, membership: Membership, pair_id: Any) -> PairRow | None:
    """One open pair for the confirm step, if this person may change both records (else None: the
    same answer as a pair that does not exist). Ledgered like the queue."""
    pk = _uuid(pair_id)
    if pk is None or not may(membership, Action.MERGE_YOUTH):
        return None
    pair = DuplicatePair.objects.filter(pk=pk, status=DuplicatePair.Status.OPEN).first()
    if pair is None:
        return None
    with transaction.atomic():
        youths = _both_writable(membership, pair.first_id, pair.second_id)
        if youths is None or _merged_now().filter(merged_id__in=list(youths)).exists():
            return None
        _shown(membership, youths, "confirm a decision on possible duplicate records")
    return _pair_row(pair, youths, may_decide=True)


def merge_for_undo(*, membership: Membership, merge_id: Any) -> MergeRow | None:
    """One merge in force for the confirm step, if this person may change both records."""
    pk = _uuid(merge_id)
    if pk is None or not may(membership, Action.MERGE_YOUTH):
        return None
    record = _merged_now().filter(pk=pk).first()
    if record is None:
        return None
    with transaction.atomic():
        youths = _both_writable(membership, record.merged_id, record.survivor_id)
        if youths is None:
            return None
        _shown(membership, youths, "confirm undoing a merge")
    return MergeRow(
        merge_id=record.pk,
        merged=_side(youths[record.merged_id]),
        survivor=_side(youths[record.survivor_id]),
        merged_at=record.merged_at,
        may_undo=True,
    )


def _both_writable(membership: Membership, a: uuid.UUID, b: uuid.UUID) -> dict[uuid.UUID, Youth] | None:
    writable = visible_youth(membership, Category.IDENTITY, write=True)
    youths = {y.pk: y for y in writable.filter(pk__in=[a, b]).select_related("data_key")}
    return youths if len(youths) == 2 else None


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
