"""The coordinator's eligibility check page: records the decision; not eligible opens a refer-out task."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from threadline.intake.models import EligibilityDecision, Program, ReferOutTask

pytestmark = pytest.mark.django_db


def test_eligible_decision_is_recorded_with_its_version(
    program: Program, coordinator: Persona, client_for: ClientFor
) -> None:
    response = client_for(coordinator).post(
        "/intake/eligibility/", {"program": program.slug, "county": "Bexar", "age": "18"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Eligible" in html and "rule version 1" in html
    decision = EligibilityDecision.objects.get()
    assert (decision.outcome, decision.rule_version.number, decision.decided_by) == (
        "eligible",
        1,
        coordinator.user,
    )
    assert not ReferOutTask.objects.exists()


def test_not_eligible_opens_a_refer_out_task(
    program: Program, coordinator: Persona, client_for: ClientFor
) -> None:
    client = client_for(coordinator)
    html = client.post(
        "/intake/eligibility/",
        {"program": program.slug, "county": "Harris", "age": "15"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in html
    assert "refer out" in html.lower()
    task = ReferOutTask.objects.get()
    assert task.county == "Harris" and task.status == "open"
    assert "Harris County" in client.get("/intake/").content.decode()
    response = client.post(
        f"/intake/refer-out/{task.pk}/done", {"agency": "Fictional Gulf Coast Youth Network"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == coordinator.user


def test_bad_input_keeps_what_was_typed(
    program: Program, coordinator: Persona, client_for: ClientFor
) -> None:
    response = client_for(coordinator).post(
        "/intake/eligibility/", {"program": program.slug, "zip_code": "00000", "age": "12"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ZIP" in html and 'value="00000"' in html
    assert not EligibilityDecision.objects.exists()


def test_partner_staff_cannot_record_decisions(
    program: Program, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    client = client_for(dfps_caseworker)
    assert client.get("/intake/eligibility/").status_code == 403
    assert (
        client.post("/intake/eligibility/", {"program": program.slug, "county": "Bexar"}).status_code == 403
    )
    assert not EligibilityDecision.objects.exists()
