"""Patterns of where it happens (seed 002): by county, how many youths served in a period were
harmed there and how many were found there. Counties only, never a point; a count from 1 to the
small-cell maximum is hidden. No totals are published beside the counts, so nothing hidden can be
worked out by subtraction within one view; the periods offered are whole months only (as on the
de-identified dashboard), so that one period is not subtracted from the next day's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from threadline.outcomes import config
from threadline.outcomes.selectors import Facts
from threadline.youth.models import ConnectionKind, CountyConnection

KINDS = (ConnectionKind.VICTIMIZED_IN, ConnectionKind.FOUND_IN)


@dataclass(frozen=True)
class WhereCounts:
    kind: str
    counts: dict[str, int | None]  # county name -> youths (None: hidden, small number)
    small_max: int

    @property
    def suppressed(self) -> bool:
        return any(n is None for n in self.counts.values())


def where_counts(facts: Facts, kind: str) -> WhereCounts:
    """Distinct youths served in the period with a county connection of this kind, per county."""
    small = config.small_cell_max()
    counts: dict[str, int | None] = {}
    if not facts.scope.empty and kind in KINDS:
        rows = (
            facts.youth_rows(CountyConnection, of="served", kind=kind)
            .values("county")
            .annotate(n=Count("youth_id", distinct=True))
            .order_by("county")
        )
        for row in rows:
            n = int(row["n"])
            counts[str(row["county"])] = None if 0 < n <= small else n
    return WhereCounts(kind, counts, small)
