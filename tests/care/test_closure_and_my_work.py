"""Closing with a reason and aftercare, re-opening with the whole history; "My work" lists a
person's tasks only while they may still see the youth's plan; overdue reminders say nothing
identifying and come at most once a day."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.audit.models import AccessEvent
from threadline.care import selectors
from threadline.care.models import CarePlan, CaseClosure, Task
from threadline.care.services.closure import case_close, case_reopen
from threadline.care.services.plan import plan_goal_add
from threadline.care.services.tasks import task_add, task_update, tasks_remind_overdue
from threadline.youth.models import Youth
from threadline.youth.sharing import consent_revoke

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 10)


def test_close_and_reopen_keep_everything(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    m = coordinator.membership
    plan_goal_add(membership=m, youth_id=youth.pk, domain="education", in_their_words="Finish school")
    closure = case_close(
        membership=m, youth_id=youth.pk, reason="moved_away", aftercare="Monthly mentor calls"
    )
    assert Youth.objects.get(pk=youth.pk).status == "closed"
    assert CarePlan.objects.get(youth=youth).state == "closed"
    stored = CaseClosure.objects.select_related("youth__data_key").get(pk=closure.pk)
    assert (stored.reason, stored.aftercare) == ("moved_away", "Monthly mentor calls")
    with pytest.raises(ValidationError, match="already closed"):
        case_close(membership=m, youth_id=youth.pk, reason="other")

    case_reopen(membership=m, youth_id=youth.pk)
    assert Youth.objects.get(pk=youth.pk).status == "open"
    page = selectors.care_plan_page(membership=m, youth_id=youth.pk)
    assert page.plan is not None and page.plan.state == "active"
    assert [g.in_their_words for g in page.goals] == ["Finish school"]
    assert page.closures[0].reopened_by == coordinator.user
    with pytest.raises(ValidationError, match="This case is open"):
        case_reopen(membership=m, youth_id=youth.pk)


def test_only_the_care_coordinator_closes_a_case(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth, share: Share
) -> None:
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    with pytest.raises(PermissionDenied):
        case_close(membership=dfps_caseworker.membership, youth_id=youth.pk, reason="goals_met")
    with pytest.raises(ValidationError):
        case_close(membership=coordinator.membership, youth_id=youth.pk, reason="vanished")
    assert Youth.objects.get(pk=youth.pk).status == "open"
    assert not CaseClosure.objects.exists()


def _task(
    coordinator: Persona,
    youth: Youth,
    due: datetime.date | None,
    *,
    owner_person_id: int | None = None,
    owner_organization_id: int | None = None,
) -> Task:
    return task_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        title="Fictional step",
        due_on=due,
        owner_person_id=owner_person_id,
        owner_organization_id=owner_organization_id,
    )


def test_my_work_sorts_today_overdue_and_upcoming(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth, share: Share
) -> None:
    me = {"owner_person_id": coordinator.user.pk}
    overdue = _task(coordinator, youth, TODAY - datetime.timedelta(days=2), **me)
    today = _task(coordinator, youth, TODAY, **me)
    soon = _task(coordinator, youth, TODAY + datetime.timedelta(days=3), **me)
    _task(coordinator, youth, TODAY + datetime.timedelta(days=30), **me)  # too far ahead
    done = _task(coordinator, youth, TODAY, **me)
    task_update(
        membership=coordinator.membership, youth_id=youth.pk, task_id=done.pk, version=1, state="done"
    )
    partners = _task(coordinator, youth, TODAY, owner_organization_id=dfps_caseworker.organization.pk)

    work = selectors.my_work(membership=coordinator.membership, today=TODAY)
    assert [t.pk for t in work.overdue] == [overdue.pk]
    assert [t.pk for t in work.due_today] == [today.pk]
    assert [t.pk for t in work.upcoming] == [soon.pk]
    assert work.due_today[0].title == "Fictional step"
    assert AccessEvent.objects.filter(
        actor=coordinator.user, action="list", youth_id=youth.pk, purpose="my work: tasks"
    ).exists()

    # The partner sees its organization's task only while consent to the care plan lasts.
    assert selectors.my_work(membership=dfps_caseworker.membership, today=TODAY).due_today == []
    consent = share(youth, dfps_caseworker, [Category.CARE_PLAN])
    assert [
        t.pk for t in selectors.my_work(membership=dfps_caseworker.membership, today=TODAY).due_today
    ] == [partners.pk]
    consent_revoke(membership=coordinator.membership, youth_id=youth.pk, consent_id=consent.pk)
    assert selectors.my_work(membership=dfps_caseworker.membership, today=TODAY).due_today == []


def test_overdue_reminders_name_no_youth_and_come_once_a_day(
    coordinator: Persona, probation_officer: Persona, youth: Youth
) -> None:
    me = {"owner_person_id": coordinator.user.pk}
    _task(coordinator, youth, TODAY - datetime.timedelta(days=1), **me)
    _task(coordinator, youth, TODAY - datetime.timedelta(days=5), **me)
    _task(coordinator, youth, TODAY, **me)  # due today: not overdue
    _task(coordinator, youth, TODAY - datetime.timedelta(days=1), owner_person_id=probation_officer.user.pk)

    assert tasks_remind_overdue(today=TODAY) == 2
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "2 overdue tasks" in bodies[coordinator.user.email]
    assert "1 overdue task " in bodies[probation_officer.user.email]
    for body in bodies.values():
        assert "Marisol" not in body and "Fictional step" not in body and youth.reference not in body
    assert tasks_remind_overdue(today=TODAY) == 0  # already reminded today
    assert len(mail.outbox) == 2
    assert tasks_remind_overdue(today=TODAY + datetime.timedelta(days=1)) == 2
    # The next day the task due "today" has become overdue too.
    assert Task.objects.filter(reminded_on=TODAY + datetime.timedelta(days=1)).count() == 4


def test_coordinator_sees_overdue_work_across_the_caseload(
    coordinator: Persona, advocate: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    late = _task(
        coordinator,
        youth,
        TODAY - datetime.timedelta(days=3),
        owner_organization_id=dfps_caseworker.organization.pk,
    )
    _task(
        coordinator,
        youth,
        TODAY + datetime.timedelta(days=3),
        owner_organization_id=dfps_caseworker.organization.pk,
    )
    work = selectors.my_work(membership=coordinator.membership, today=TODAY)
    assert [t.pk for t in work.team_overdue] == [late.pk]
    # An advocate not on this youth's team sees neither the youth nor its tasks.
    assert selectors.my_work(membership=advocate.membership, today=TODAY).team_overdue == []
