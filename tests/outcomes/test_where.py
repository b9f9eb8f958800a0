"""Patterns of where it happens (issue 15, seed 002): the county map by where youths were harmed and
where they were found, counties only, small counts hidden, for whoever may see figures."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Persona
from threadline.audit.models import AccessEvent
from threadline.outcomes import demo_generate as generate
from threadline.outcomes.selectors import Facts, scope_for
from threadline.outcomes.views import period_choices
from threadline.outcomes.where import where_counts
from threadline.youth.models import CountyConnection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["victimized_in", "found_in"])
def test_the_program_admin_sees_where_by_county_with_small_counts_hidden(
    kind: str, program_admin: Persona, caseload: generate.Plan, client_for: Callable[[Persona], Client]
) -> None:
    assert CountyConnection.objects.filter(kind=kind).count() == 60  # the demo data has them
    response = client_for(program_admin).get(f"/outcomes/where/?period=lastfy&kind={kind}")
    assert response.status_code == 200
    body = response.content.decode()
    _label, period = period_choices(timezone.localdate(), exact=False)["lastfy"]
    shown = where_counts(Facts(scope=scope_for(program_admin.membership), period=period), kind)
    assert shown.counts and all(n is None or n > shown.small_max for n in shown.counts.values())
    table = body.split("<tbody>")[1].split("</tbody>")[0]
    for county, n in shown.counts.items():
        assert f"<td>{county}</td><td>{'*' if n is None else n}</td>" in table, county
    words = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    for youth in caseload.youths:
        assert youth.reference not in body and youth.legal_name not in body
        assert re.search(rf"\b{re.escape(youth.preferred_name)}\b", words) is None
    assert 'role="img"' in body and "tx-map-title" in body
    assert (
        AccessEvent.objects.filter(actor_id=program_admin.user.pk, object_type="outcomes_where").count() == 1
    )


@pytest.mark.parametrize("persona", ["advocate", "dfps_caseworker", "auditor"])
def test_people_without_reports_are_refused_where(
    persona: str, request: pytest.FixtureRequest, client_for: Callable[[Persona], Client]
) -> None:
    who: Persona = request.getfixturevalue(persona)
    before = AccessEvent.objects.count()
    response = client_for(who).get("/outcomes/where/?kind=found_in")
    assert response.status_code == 403
    assert AccessEvent.objects.count() == before
    assert Client().get("/outcomes/where/").status_code == 302
