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
from threadline.care.measures import Measure
from threadline.care.models import OutcomeCheckIn
from threadline.outcomes import demo_generate as generate
from threadline.outcomes import report
from threadline.outcomes.count_selectors.outcomes import check_in_outcomes
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


def test_check_ins_carrying_some_measures_count_each_measure_apart(
    caseload: generate.Plan, coordinator: Persona
) -> None:
    """A check-in counts for the measures it carries only (the count selector crosses the check-ins
    with the measures in one statement): check-ins with one reported measure, with others not
    reported, with none, and a second one the same day recorded later, as the definition counts."""
    checkins = list(OutcomeCheckIn.objects.order_by("pk"))
    safe, basic = Measure.SAFE_HOUSING.value, Measure.BASIC_NEEDS.value
    for i, checkin in enumerate(checkins):
        ratings = dict(checkin.ratings)
        if i % 4 == 0:
            ratings = {safe: ratings[safe]}
        elif i % 4 == 1:
            ratings = {k: v for k, v in ratings.items() if k != basic} | {Measure.SAFETY.value: 2}
        elif i % 4 == 2:
            ratings = {Measure.RESILIENCY.value: 5}
        checkin.ratings = ratings
    OutcomeCheckIn.objects.bulk_update(checkins, ["ratings"])
    later = []
    for checkin in checkins[::3]:
        checkin.pk = None
        checkin.recorded_at += dt.timedelta(minutes=5)
        checkin.ratings = {basic: 5 - int(checkin.ratings.get(basic, 3)) % 5}
        later.append(checkin)
    OutcomeCheckIn.objects.bulk_create(later)
    scope = scope_for(coordinator.membership)
    for period in _periods()[:4]:
        counted = check_in_outcomes(Facts(scope=scope, period=period))
        expected = reference_figures(ReferenceFacts(scope=scope, period=period), with_gender=False)
        assert (list(counted.rows), counted.cells) == expected["outcomes.check_ins"]
    assert any(row[0] for row in counted.cells)  # the last period holds rated youths
