"""The unified care plan: needs, goals in the youth's words, services, tasks for partners; every
change versioned with a snapshot and a timeline entry; concurrent edits never overwrite; partners
write only with care-plan consent."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.conftest import ClientFor, Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.audit.models import AccessEvent
from threadline.care.models import CarePlan, CarePlanRevision, PlanGoal, Task
from threadline.care.services.plan import (
    care_plan_set_state,
    care_plan_start,
    plan_goal_add,
    plan_need_add,
    plan_service_add,
)
from threadline.care.services.tasks import task_add, task_update
from threadline.core.errors import EditConflict
from threadline.youth.models import TimelineEntry, Youth
from threadline.youth.policy import YouthNotFound

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 12, 1)


def counts() -> tuple[int, int, int, int]:
    return (
        Task.objects.count(),
        CarePlanRevision.objects.count(),
        TimelineEntry.objects.filter(object_type="care_plan").count(),
        AccessEvent.objects.count(),
    )


def test_coordinator_builds_a_plan_with_tasks_for_two_partners(
    coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona, youth: Youth
) -> None:
    m = coordinator.membership
    plan = care_plan_start(membership=m, youth_id=youth.pk)
    assert (plan.state, plan.version) == ("draft", 1)
    plan_need_add(membership=m, youth_id=youth.pk, domain="housing", description="Stable place")
    plan_goal_add(
        membership=m, youth_id=youth.pk, domain="education", in_their_words="I want to finish tenth grade"
    )
    plan_service_add(
        membership=m,
        youth_id=youth.pk,
        domain="behavioral_health",
        provider_name="Pecan Grove Counseling (fictional)",
        description="Weekly sessions",
    )
    first = task_add(
        membership=m,
        youth_id=youth.pk,
        title="Confirm school enrolment",
        owner_organization_id=dfps_caseworker.organization.pk,
        due_on=DUE,
    )
    second = task_add(
        membership=m,
        youth_id=youth.pk,
        title="Check in after court date",
        owner_person_id=probation_officer.user.pk,
        due_on=DUE,
    )
    assert second.owner_organization is None and second.owner_person == probation_officer.user
    plan = care_plan_set_state(membership=m, youth_id=youth.pk, state="active", version=6)

    plan.refresh_from_db()
    assert (plan.state, plan.version) == ("active", 7)
    revisions = list(CarePlanRevision.objects.filter(plan=plan).order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.change for r in revisions] == [
        "plan_started",
        "need_added",
        "goal_added",
        "service_added",
        "task_added",
        "task_added",
        "state_changed",
    ]
    latest = CarePlanRevision.objects.select_related("youth__data_key").get(plan=plan, number=7)
    assert latest.snapshot["state"] == "active"
    assert latest.snapshot["goals"][0]["words"] == "I want to finish tenth grade"
    assert {t["id"] for t in latest.snapshot["tasks"]} == {str(first.pk), str(second.pk)}
    # Revision 3 still shows the plan as it was then: a goal, no tasks.
    third = CarePlanRevision.objects.select_related("youth__data_key").get(plan=plan, number=3)
    assert third.snapshot["tasks"] == [] and len(third.snapshot["goals"]) == 1
    assert TimelineEntry.objects.filter(youth=youth, object_type="care_plan").count() == 7
    edits = AccessEvent.objects.filter(youth_id=youth.pk, action="edit", category=Category.CARE_PLAN)
    assert edits.count() == 7


def test_the_youths_words_are_encrypted_at_rest(coordinator: Persona, youth: Youth) -> None:
    goal = plan_goal_add(
        membership=coordinator.membership, youth_id=youth.pk, domain="family", in_their_words="See my brother"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT in_their_words FROM {PlanGoal._meta.db_table} WHERE id = %s", [goal.pk.hex])
        row = cursor.fetchone()
    if row is None:  # PostgreSQL keeps UUIDs as uuid, not hex text
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT in_their_words FROM {PlanGoal._meta.db_table} WHERE id = %s", [goal.pk])
            row = cursor.fetchone()
    assert row is not None
    assert b"See my brother" not in bytes(row[0])


def test_a_goal_needs_the_youths_words(coordinator: Persona, youth: Youth) -> None:
    with pytest.raises(ValidationError) as caught:
        plan_goal_add(
            membership=coordinator.membership, youth_id=youth.pk, domain="family", in_their_words="  "
        )
    assert "in_their_words" in caught.value.message_dict


def test_a_task_owner_must_be_on_the_care_team(coordinator: Persona, auditor: Persona, youth: Youth) -> None:
    from tests.factories.accounts import OrganizationFactory

    elsewhere = OrganizationFactory(name="Quarry Lane Shelter (fictional)")
    care_plan_start(membership=coordinator.membership, youth_id=youth.pk)
    before = counts()
    with pytest.raises(ValidationError, match="not on this youth's care team"):
        task_add(
            membership=coordinator.membership,
            youth_id=youth.pk,
            title="Call the shelter",
            owner_organization_id=elsewhere.pk,
        )
    with pytest.raises(ValidationError, match="Choose who owns this task"):
        task_add(membership=coordinator.membership, youth_id=youth.pk, title="Nobody's job")
    assert counts()[:3] == before[:3]


def test_two_people_editing_one_task_never_overwrite_each_other(
    coordinator: Persona, advocate: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    task = task_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        title="Get a birth certificate copy",
        owner_organization_id=dfps_caseworker.organization.pk,
    )
    task_update(
        membership=coordinator.membership, youth_id=youth.pk, task_id=task.pk, version=1, state="in_progress"
    )
    with pytest.raises(EditConflict) as caught:
        task_update(
            membership=coordinator.membership, youth_id=youth.pk, task_id=task.pk, version=1, state="done"
        )
    assert caught.value.current_version == 2
    task.refresh_from_db()
    assert (task.state, task.version, task.done_at) == ("in_progress", 2, None)
    done = task_update(
        membership=coordinator.membership, youth_id=youth.pk, task_id=task.pk, version=2, state="done"
    )
    assert done.done_at is not None


def test_plan_state_rules_and_stale_versions(coordinator: Persona, youth: Youth) -> None:
    m = coordinator.membership
    care_plan_start(membership=m, youth_id=youth.pk)
    with pytest.raises(ValidationError, match="A draft plan cannot become under_review"):
        care_plan_set_state(membership=m, youth_id=youth.pk, state="under_review", version=1)
    with pytest.raises(ValidationError):
        care_plan_set_state(membership=m, youth_id=youth.pk, state="finished", version=1)
    care_plan_set_state(membership=m, youth_id=youth.pk, state="active", version=1)
    with pytest.raises(EditConflict):
        care_plan_set_state(membership=m, youth_id=youth.pk, state="closed", version=1)
    care_plan_set_state(membership=m, youth_id=youth.pk, state="closed", version=2)
    with pytest.raises(ValidationError, match="Re-open it"):
        plan_need_add(membership=m, youth_id=youth.pk, domain="safety")
    care_plan_set_state(membership=m, youth_id=youth.pk, state="active", version=3)
    assert CarePlan.objects.get(youth=youth).state == "active"


def test_partner_writes_the_plan_only_with_care_plan_consent(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth, share: Share
) -> None:
    care_plan_start(membership=coordinator.membership, youth_id=youth.pk)
    before = counts()
    with pytest.raises(YouthNotFound):
        task_add(
            membership=dfps_caseworker.membership,
            youth_id=youth.pk,
            title="Home visit",
            owner_organization_id=dfps_caseworker.organization.pk,
        )
    assert counts() == before  # nothing written, not even a ledger row
    share(youth, dfps_caseworker, [Category.CASE_NOTES])
    with pytest.raises(YouthNotFound):
        plan_need_add(membership=dfps_caseworker.membership, youth_id=youth.pk, domain="safety")
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    task = task_add(
        membership=dfps_caseworker.membership,
        youth_id=youth.pk,
        title="Home visit",
        owner_organization_id=dfps_caseworker.organization.pk,
    )
    assert task.created_by == dfps_caseworker.user
    assert AccessEvent.objects.filter(
        youth_id=youth.pk, actor=dfps_caseworker.user, action="edit", category=Category.CARE_PLAN
    ).exists()


def test_a_partner_not_on_the_team_gets_the_same_404_as_a_missing_youth(
    auditor: Persona, youth: Youth
) -> None:
    import uuid

    for youth_id in (youth.pk, uuid.uuid4()):
        with pytest.raises(YouthNotFound):
            care_plan_start(membership=auditor.membership, youth_id=youth_id)
    assert not CarePlan.objects.exists()


def test_needs_met_and_goals_achieved_are_plan_changes(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    m = coordinator.membership
    need = plan_need_add(membership=m, youth_id=youth.pk, domain="housing")
    goal = plan_goal_add(membership=m, youth_id=youth.pk, domain="family", in_their_words="Call my sister")
    client = client_for(coordinator)
    assert client.post(f"/care/{youth.pk}/plan/goal/{goal.pk}", {"done": "1"}).status_code == 302
    assert client.post(f"/care/{youth.pk}/plan/need/{need.pk}", {"done": "1"}).status_code == 302
    goal.refresh_from_db()
    need.refresh_from_db()
    assert goal.achieved_on is not None and need.met_on is not None
    assert client.post(f"/care/{youth.pk}/plan/need/{need.pk}", {"done": "0"}).status_code == 302
    need.refresh_from_db()
    assert need.met_on is None
    changes = list(CarePlanRevision.objects.order_by("number").values_list("change", flat=True))
    assert changes[-3:] == ["goal_changed", "need_changed", "need_changed"]
    for bad in (
        f"/care/{youth.pk}/plan/task/{need.pk}",
        f"/care/{youth.pk}/plan/need/junk",
        f"/care/{youth.pk}/plan/goal/{need.pk}",
    ):
        assert client.post(bad, {"done": "1"}).status_code == 404
    assert "Mark as met" in client.get(f"/care/{youth.pk}/plan").content.decode()
