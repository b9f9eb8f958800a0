"""Every interactive page asks the database a fixed number of questions, whatever the data size
(issue 18): each page is rendered with N rows behind it and again with 3N, and the two counts of
queries must be exactly equal. A difference is an N+1 (a query per row) to fix in the selector.

The rows come from the outcomes generator (``outcomes.demo_generate``, the one ``bench/generate.py``
uses) and, for one youth's pages, from rows added to that youth: all fictional."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.care.models import CarePlan, CaseNote, Meeting, NoteState, PlanNeed, Task
from threadline.intake.models import Program
from threadline.outcomes import demo_generate
from threadline.outcomes.demo_caseload_services import CaseloadSetting, generated_caseload_write
from threadline.youth.models import PlacementType, TimelineEntry, Youth
from threadline.youth.services import placement_add

N = 3
# Generated caseloads: enough youths that every section of a page has rows at N already (a section
# that appears only once it has a row adds its queries once: that is not an N+1).
CASELOAD_N = 12
pytestmark = pytest.mark.django_db


def _count(
    client: Client, method: str, url: str, data: dict[str, Any] | None = None, status: int = 200
) -> list[str]:
    """The statements one request runs (their shape: each up to its WHERE)."""
    cache.clear()  # dashboards keep their figures: count them afresh each time
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data or {}) if method == "POST" else client.get(url, data or {})
    assert response.status_code == status, (url, response.status_code)
    return [_shape(q["sql"]) for q in captured.captured_queries]


def _shape(sql: str) -> str:
    """A statement without its values, so two runs' statements compare."""
    sql = re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", sql)
    return sql.split(" WHERE ")[0][:160]


def _caseload(coordinator: Persona, advocate: Persona, count: int, start: int) -> None:
    """``count`` generated youths (and their referrals, notes, meetings...) on the advocate's caseload."""
    programs = tuple(
        Program.objects.filter(slug__in=("demo-five-county", "demo-central-texas")).values_list(
            "pk", flat=True
        )
    )
    for program in Program.objects.filter(pk__in=programs):
        program.organization = coordinator.organization
        program.save(update_fields=["organization"])
    setting = CaseloadSetting(
        organization_id=coordinator.organization.pk,
        advocate_id=advocate.user.pk,
        coordinator_id=coordinator.user.pk,
        program_ids=programs,
        instrument_id=None,
    )
    youths = list(demo_generate.iter_youths(seed=7, youths=start + count, end=timezone.localdate()))[start:]
    for g in youths:
        g.closed_on = None  # every one open, so each is on the caseload and the team
    generated_caseload_write(
        setting=setting,
        youths=youths,
        others=demo_generate.other_referrals(seed=7 + start, count=count, end=timezone.localdate()),
        searchable=True,
    )


def _grow(youth: Youth, persona: Persona, count: int) -> None:
    """``count`` more of everything a record's pages list: timeline, notes, tasks, needs, meetings,
    placements with their (encrypted) addresses."""
    plan, _ = CarePlan.objects.get_or_create(youth=youth, defaults={"state": "active"})
    now = timezone.now()
    earliest = youth.placements.order_by("started_on").values_list("started_on", flat=True).first()
    for n in range(count):
        placement_add(
            membership=persona.membership,
            youth_id=youth.pk,
            placement_type=PlacementType.KINSHIP,
            started_on=(earliest or now.date()) - dt.timedelta(days=n + 1),
            address="100 Fictional Lane",
        )
    org, user = persona.organization, persona.user
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            youth=youth, kind="note_added", category=Category.CASE_NOTES, summary="Note", organization=org
        )
        for _ in range(count)
    )
    CaseNote.objects.bulk_create(
        CaseNote(
            youth=youth, author=user, organization=org, state=NoteState.FINAL, narrative="Fictional note"
        )
        for _ in range(count)
    )
    Task.objects.bulk_create(
        Task(youth=youth, plan=plan, title="Call back", owner_person=user, due_on=now.date(), created_by=user)
        for _ in range(count)
    )
    PlanNeed.objects.bulk_create(
        PlanNeed(youth=youth, plan=plan, domain="housing", description="A safe place") for _ in range(count)
    )
    Meeting.objects.bulk_create(
        Meeting(
            youth=youth,
            meeting_type="care_coordination",
            scheduled_at=now + dt.timedelta(days=1),
            created_by=user,
        )
        for _ in range(count)
    )


def _same_at_n_and_3n(grow: Callable[[int, int], None], measure: Callable[[], list[str]], n: int = N) -> None:
    grow(n, 0)
    measure()  # first request: per-process caches (content types, sites, templates) are filled
    small = measure()
    grow(2 * n, n)
    measure()  # new figures are stored once when first published (the report's differencing guard)
    large = measure()
    extra = Counter(large) - Counter(small)
    assert len(large) == len(small), f"{len(small)} queries with N rows, {len(large)} with 3N; more: {extra}"


@pytest.fixture
def team(
    coordinator: Persona, advocate: Persona, supervisor: Persona, client_for: ClientFor
) -> dict[str, Any]:
    return {
        "coordinator": client_for(coordinator),
        "advocate": client_for(advocate),
        "supervisor": client_for(supervisor),
    }


def test_find_a_youth_by_name(coordinator: Persona, team: dict[str, Client]) -> None:
    def grow(count: int, _start: int) -> None:
        for _ in range(count):
            make_youth(coordinator.membership, legal_name="Marisol Quintero Vega", preferred_name="Mari")

    _same_at_n_and_3n(grow, lambda: _count(team["coordinator"], "POST", "/youth/", {"q": "Marisol Quintero"}))


@pytest.mark.parametrize(
    "page", ["/youth/{id}/", "/youth/{id}/timeline", "/care/{id}/plan", "/care/{id}/notes"]
)
def test_one_youths_pages(page: str, coordinator: Persona, team: dict[str, Client]) -> None:
    youth = make_youth(coordinator.membership)
    _same_at_n_and_3n(
        lambda count, _start: _grow(youth, coordinator, count),
        lambda: _count(team["coordinator"], "GET", page.format(id=youth.pk)),
    )


def test_add_a_case_note(coordinator: Persona, team: dict[str, Client]) -> None:
    youth = make_youth(coordinator.membership)
    body = {"action": "save", "contact_type": "phone", "duration_minutes": "10", "narrative": "Called back."}
    _same_at_n_and_3n(
        lambda count, _start: _grow(youth, coordinator, count),
        lambda: _count(team["coordinator"], "POST", f"/care/{youth.pk}/notes", body, status=302),
    )


@pytest.mark.parametrize(
    ("who", "page"),
    [("advocate", "/care/"), ("advocate", "/care/today"), ("coordinator", "/intake/referrals/")],
)
def test_caseload_pages(
    who: str, page: str, coordinator: Persona, advocate: Persona, team: dict[str, Client]
) -> None:
    _same_at_n_and_3n(
        lambda count, start: _caseload(coordinator, advocate, count, start),
        lambda: _count(team[who], "GET", page),
        n=CASELOAD_N,
    )


@pytest.mark.parametrize("page", ["/outcomes/?period=fytd", "/outcomes/report/"])
def test_outcomes_pages(page: str, coordinator: Persona, advocate: Persona, team: dict[str, Client]) -> None:
    today = timezone.localdate()
    period = {"start": (today - dt.timedelta(days=700)).isoformat(), "end": today.isoformat()}
    _same_at_n_and_3n(
        lambda count, start: _caseload(coordinator, advocate, count, start),
        lambda: _count(team["supervisor"], "GET", page, period if "report" in page else None),
        n=CASELOAD_N,
    )


def test_create_a_referral(coordinator: Persona, advocate: Persona, team: dict[str, Client]) -> None:
    program = Program.objects.get(slug="demo-central-texas")
    body = {
        "program": str(program.pk),
        "channel": "hotline",
        "urgency": "runaway_now",
        "source": "family",
        "county": "McLennan",
        "connection": "physically_present",
        "age": "15",
        "youth_name": "Marisol",
        "what_is_known": "A fictional concern.",
        "language": "en",
    }
    _same_at_n_and_3n(
        lambda count, start: _caseload(coordinator, advocate, count, start),
        lambda: _count(team["coordinator"], "POST", "/intake/referrals/new/", body, status=302),
    )


def test_directory_search_and_suggestions(coordinator: Persona, team: dict[str, Client]) -> None:
    from threadline.directory.generate import generate

    youth = make_youth(coordinator.membership, counties=[("Bexar", "physically_present")])
    plan = CarePlan.objects.create(youth=youth, state="active")
    need = PlanNeed.objects.create(youth=youth, plan=plan, domain="housing", description="A safe place")

    def grow(count: int, start: int) -> None:
        generate(count=count, label=f"qc{start}", seed=3 + start, counties=["48029"])

    _same_at_n_and_3n(
        grow,
        # The search is a GET (its non-identifying filters live in the URL, so Back keeps them).
        lambda: _count(team["coordinator"], "GET", "/directory/staff/", {"county": "48029", "page": "1"}),
    )
    _same_at_n_and_3n(
        lambda count, start: grow(count, start + 100),
        lambda: _count(
            team["coordinator"],
            "POST",
            f"/referrals/youth/{youth.pk}/suggest",
            {"action": "suggest", "need": str(need.pk), "county": "48029", "radius": "25"},
        ),
    )
