"""The database counts (``outcomes.count_selectors``, what dashboards and funder reports show) give exactly the
figures of the measure definitions applied to every row (``tests/outcomes/reference.py``), on a
generated caseload with closures, re-opened cases, missing episodes, same-day assessments and
check-ins, for periods of every length, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Persona
from tests.outcomes.reference import ReferenceFacts, reference_figures
from threadline.outcomes import demo_generate as generate
from threadline.outcomes import report
from threadline.outcomes.measures.facts import Period, fiscal_year
from threadline.outcomes.selectors import Facts, scope_for
from threadline.youth.policy import youth_for_maintenance

pytestmark = pytest.mark.django_db


def _shown(built: report.Report) -> dict[str, Any]:
    return {
        **{t.key: (list(t.rows), [list(row) for row in t.cells]) for s in built.sections for t in s.tables},
        **{f.key: (f.value, f.counts) for s in built.sections for f in s.figures},
    }


def _periods() -> list[Period]:
    today = timezone.localdate()
    this_year = fiscal_year(today, 10)
    last_year = fiscal_year(this_year.start - dt.timedelta(days=1), 10)
    return [
        Period(today - dt.timedelta(days=29), today),
        Period(this_year.start, today),
        last_year,
        Period(today - dt.timedelta(days=730), today),
        Period(today - dt.timedelta(days=400), today - dt.timedelta(days=370)),
    ]


@pytest.mark.parametrize("index", range(5))
def test_every_figure_equals_its_definition(
    index: int, caseload: generate.Plan, coordinator: Persona
) -> None:
    period = _periods()[index]
    scope = scope_for(coordinator.membership)
    now = timezone.now()
    built = _shown(report.build(Facts(scope=scope, period=period, now=now), with_gender=True))
    expected = reference_figures(ReferenceFacts(scope=scope, period=period, now=now), with_gender=True)
    assert set(expected) <= set(built)
    assert {key: built[key] for key in expected} == expected
    assert built["youths.served"][1][0] != [0, 0]  # the period holds youths: the test compares something


def test_youths_not_grouped_yet_are_grouped_from_their_words(
    caseload: generate.Plan, coordinator: Persona
) -> None:
    """Rows written before the gender group existed (NULL) count the same as grouped ones."""
    period = _periods()[3]
    scope = scope_for(coordinator.membership)
    grouped = report.build(Facts(scope=scope, period=period), with_gender=True).table("youths.gender")
    youth_for_maintenance().filter(reference__in=[y.reference for y in caseload.youths[::2]]).update(
        gender_group=None
    )
    again = report.build(Facts(scope=scope, period=period), with_gender=True).table("youths.gender")
    assert grouped is not None and again is not None
    assert again.cells == grouped.cells
    assert sum(sum(row) for row in grouped.cells) > 0
