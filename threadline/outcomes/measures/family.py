"""Family services counted (issue 14): caregivers and siblings served by the Family Coordinator, and
what was done with them. Pure functions over plain facts, like every measure here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from threadline.outcomes.measures.facts import Period
from threadline.outcomes.tables import Table


@dataclass(frozen=True)
class FamilyClientFact:
    client: int  # an opaque number, never an id or a name
    opened_on: dt.date


@dataclass(frozen=True)
class FamilyActivityFact:
    client: int
    kind: str  # "note", "meeting", "referral"
    on: dt.date


ACTIVITY_ROWS = (
    ("note", _("Contacts with family members (notes)")),
    ("meeting", _("Meetings with family members")),
    ("referral", _("Referrals of family members")),
)


def family_services(
    clients: Iterable[FamilyClientFact], activities: Iterable[FamilyActivityFact], period: Period
) -> Table:
    """Family clients **new** (opened on a day of the period) and **continuing** (opened before it, with
    a note, meeting or referral on a day of it); and the notes, meetings (by the day scheduled) and
    referrals (by the day sent) of the period."""
    active = [a for a in activities if period.contains(a.on)]
    active_clients = {a.client for a in active}
    new = continuing = 0
    for c in clients:
        if period.contains(c.opened_on):
            new += 1
        elif c.opened_on < period.start and c.client in active_clients:
            continuing += 1
    counts = {kind: sum(1 for a in active if a.kind == kind) for kind, _label in ACTIVITY_ROWS}
    rows = [
        ("clients_new", _("New family clients")),
        ("clients_continuing", _("Continuing family clients")),
        *ACTIVITY_ROWS,
    ]
    cells = [[new], [continuing], *([counts[kind]] for kind, _label in ACTIVITY_ROWS)]
    return Table(
        key="family.services",
        title=_("Family services"),
        rows=rows,
        columns=[("count", _("Count"))],
        cells=cells,
        how=_("Caregivers and siblings served by the Family Coordinator, and what was done with them."),
        column_totals=False,
    )
