"""Trainings and technical assistance recorded with attendees by organization and materials; an
agency's action plan with items and due dates, which the agency sees as its own tasks."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from threadline.network.models import ActionItem, ActionPlan, Training

pytestmark = pytest.mark.django_db


def test_a_training_with_attendees_and_an_action_plan(
    program_admin: Persona, dfps_caseworker: Persona, probation_officer: Persona, client_for: ClientFor
) -> None:
    admin = client_for(program_admin)
    bad = admin.post(
        "/network/trainings/",
        {
            "form": "training",
            "kind": "training",
            "topic": "Trauma-informed intake",
            "delivered_on": "",
            "hours": "x",
        },
    )
    assert bad.status_code == 200
    assert 'value="Trauma-informed intake"' in bad.content.decode()  # nothing typed is lost
    assert not Training.objects.exists()
    response = admin.post(
        "/network/trainings/",
        {
            "form": "training",
            "kind": "technical_assistance",
            "topic": "Trauma-informed intake",
            "audience": "Intake staff",
            "delivered_on": timezone.localdate().isoformat(),
            "hours": "2.5",
            "materials": "Slides v2",
        },
    )
    assert response.status_code == 302
    training = Training.objects.get()
    for persona, people in ((dfps_caseworker, "8"), (probation_officer, "3")):
        saved = admin.post(
            f"/network/trainings/{training.pk}",
            {"form": "attendance", "organization": persona.organization.pk, "attendees": people},
        )
        assert saved.status_code == 302
    page = admin.get("/network/trainings/").content.decode()
    assert "Trauma-informed intake" in page and "11 people" in page

    response = admin.post(
        "/network/plans/",
        {"form": "plan", "partner": dfps_caseworker.organization.pk, "title": "Screen every youth"},
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get()
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = admin.post(
        "/network/plans/", {"form": "item", "plan": plan.pk, "title": "Name a lead", "due_on": due}
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.owner_organization, item.plan, item.due_on.isoformat() if item.due_on else "") == (
        dfps_caseworker.organization,
        plan,
        due,
    )
    dfps = client_for(dfps_caseworker)
    assert "Name a lead" in dfps.get("/network/tasks/").content.decode()
    assert "Screen every youth" in dfps.get("/network/plans/").content.decode()
    assert "Screen every youth" not in client_for(probation_officer).get("/network/plans/").content.decode()
    assert "Trauma-informed intake" in dfps.get("/network/trainings/").content.decode()


def test_a_forged_plan_id_answers_404_and_adds_nothing(program_admin: Persona, client_for: ClientFor) -> None:
    response = client_for(program_admin).post(
        "/network/plans/", {"form": "item", "plan": "424242", "title": "x"}
    )
    assert response.status_code == 404
    assert not ActionItem.objects.exists()
