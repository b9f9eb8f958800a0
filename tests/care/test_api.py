"""/api/v1/care/: the same rules as the pages."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import ClientFor, Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.care.models import Task
from threadline.care.services.instruments import instrument_load
from threadline.care.services.plan import plan_goal_add
from threadline.care.services.screenings import screening_record
from threadline.care.services.tasks import task_add
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


def test_plan_and_tasks_over_the_api(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth, share: Share
) -> None:
    client = client_for(coordinator)
    plan_goal_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        domain="education",
        in_their_words="Learn to drive",
    )
    created = client.post(
        f"/api/v1/care/{youth.pk}/tasks",
        {
            "title": "Driver's ed sign-up",
            "owner_organization_id": dfps_caseworker.organization.pk,
            "due_on": "2026-12-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    task = created.json()
    plan = client.get(f"/api/v1/care/{youth.pk}/plan").json()
    assert plan["goals"][0]["in_their_words"] == "Learn to drive"
    assert [t["title"] for t in plan["tasks"]] == ["Driver's ed sign-up"]

    sneaky = client.post(
        f"/api/v1/care/{youth.pk}/tasks",
        {"title": "x", "owner_person_id": coordinator.user.pk, "created_by_id": 1},
        content_type="application/json",
    )
    assert sneaky.status_code == 422
    no_owner = client.post(f"/api/v1/care/{youth.pk}/tasks", {"title": "x"}, content_type="application/json")
    assert no_owner.status_code == 422
    assert [e["loc"] for e in no_owner.json()["errors"]] == [["body", "owner"]]

    done = client.patch(
        f"/api/v1/care/{youth.pk}/tasks/{task['id']}",
        {"version": 1, "state": "done"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "done"
    stale = client.patch(
        f"/api/v1/care/{youth.pk}/tasks/{task['id']}",
        {"version": 1, "state": "open"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    missing = client.patch(
        f"/api/v1/care/{youth.pk}/tasks/{uuid.uuid4()}", {"version": 1}, content_type="application/json"
    )
    assert missing.status_code == 404
    assert Task.objects.get().state == "done"

    partner = client_for(dfps_caseworker)
    assert partner.get(f"/api/v1/care/{youth.pk}/plan").status_code == 404
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    assert partner.get(f"/api/v1/care/{youth.pk}/plan").status_code == 200


def test_my_work_over_the_api(coordinator: Persona, client_for: ClientFor, youth: Youth) -> None:
    task_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        title="Call back",
        owner_person_id=coordinator.user.pk,
    )
    body = client_for(coordinator).get("/api/v1/care/my-work").json()
    assert [t["title"] for t in body["upcoming"]] == ["Call back"]
    assert body["upcoming"][0]["youth_reference"] == youth.reference


def test_screenings_over_the_api_follow_the_screenings_category(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth, share: Share
) -> None:
    from tests.care.helpers import all_fine
    from threadline.care.instruments import DEMO_INSTRUMENT, load_file

    instrument = instrument_load(definition=load_file(DEMO_INSTRUMENT), licence_attestation="").instrument
    screening_record(
        membership=coordinator.membership, youth_id=youth.pk, instrument_id=instrument.pk, answers=all_fine()
    )
    body = client_for(coordinator).get(f"/api/v1/care/{youth.pk}/screenings").json()
    assert [(s["instrument"], s["band"], s["complete"]) for s in body] == [
        ("demo-wellbeing", "no_concern", True)
    ]
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    partner = client_for(dfps_caseworker)
    assert partner.get(f"/api/v1/care/{youth.pk}/screenings").status_code == 404
    assert partner.get(f"/api/v1/care/{uuid.uuid4()}/screenings").status_code == 404
