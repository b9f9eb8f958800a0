"""Dashboards by role: who sees what, exact or suppressed, and that nobody sees a row about a youth."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import Persona
from threadline.audit.models import AccessEvent
from threadline.outcomes import demo_generate as generate
from threadline.outcomes.models import Publication

pytestmark = pytest.mark.django_db


def test_the_analyst_lands_on_the_figures_instead_of_an_empty_home(
    analyst: Persona, client_for: Callable[[Persona], Client]
) -> None:
    response = client_for(analyst).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/outcomes/"


def test_a_coordinator_keeps_the_home_page(
    coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    assert client_for(coordinator).get("/").status_code == 200


@pytest.mark.parametrize("persona", ["advocate", "dfps_caseworker", "auditor"])
def test_people_without_reports_are_refused(
    persona: str, request: pytest.FixtureRequest, client_for: Callable[[Persona], Client]
) -> None:
    who: Persona = request.getfixturevalue(persona)
    before = Publication.objects.count()
    assert client_for(who).get("/outcomes/").status_code == 403
    assert client_for(who).get("/outcomes/report/?start=2026-01-01&end=2026-01-31").status_code == 403
    assert Publication.objects.count() == before


def test_the_analyst_dashboard_is_suppressed_and_names_no_youth(
    analyst: Persona, caseload: generate.Plan, client_for: Callable[[Persona], Client]
) -> None:
    response = client_for(analyst).get("/outcomes/?period=lastfy")
    assert response.status_code == 200
    body = response.content.decode()
    assert "counts from 1 to 10 are hidden" in body
    assert '<abbr title="hidden' in body  # sixty youths over two years leave small cells
    # The map names all 254 counties (a first name may be a county's, e.g. Howard): check the rest.
    words = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    for youth in caseload.youths:
        assert youth.reference not in body
        assert youth.legal_name not in body
        assert re.search(rf"\b{re.escape(youth.preferred_name)}\b", words) is None
    # What was published is kept for the differencing guard, and the view is ledgered.
    assert Publication.objects.filter(
        organization=analyst.organization, table_key="referrals.county"
    ).exists()
    assert AccessEvent.objects.filter(actor_id=analyst.user.pk, object_type="outcomes_dashboard").count() == 1


def test_the_supervisor_sees_exact_figures_and_the_team_workload(
    supervisor: Persona, caseload: generate.Plan, client_for: Callable[[Persona], Client]
) -> None:
    response = client_for(supervisor).get("/outcomes/?period=30d")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Exact figures" in body
    assert '<abbr title="hidden' not in body
    assert "Open tasks" in body
    assert "Export records" in body
    assert 'role="img"' in body and "tx-map-title" in body


def test_the_coordinator_sees_exact_figures_without_the_team_workload(
    coordinator: Persona, caseload: generate.Plan, client_for: Callable[[Persona], Client]
) -> None:
    body = client_for(coordinator).get("/outcomes/").content.decode()
    assert "Exact figures" in body
    assert "Open tasks" not in body
    assert "Export records" not in body


def test_the_program_admin_gets_suppressed_whole_month_periods(
    program_admin: Persona, client_for: Callable[[Persona], Client]
) -> None:
    body = client_for(program_admin).get("/outcomes/?period=30d").content.decode()
    assert "Last 30 days" not in body  # a period moving every day would invite differencing
    assert "counts from 1 to 10 are hidden" in body


def test_the_map_outlines_the_service_area_counties(
    supervisor: Persona, caseload: generate.Plan, client_for: Callable[[Persona], Client]
) -> None:
    body = client_for(supervisor).get("/outcomes/?period=fytd").content.decode()
    # 5 + 26 counties of the two demo programs, less Bexar, Kendall and Kerr (in both): 28.
    assert body.count('stroke="#b30000"') == 28
    assert "<title>Bexar:" in body
