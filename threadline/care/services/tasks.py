"""Next steps (tasks) on the plan, and the overdue reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.care.choices import (
    NeedDomain,
    TaskState,
)
from threadline.care.models import (
    CarePlan,
    Meeting,
    Task,
    TaskSource,
    task_category,
)
from threadline.care.services.base import _check_owner, _open_plan, _refuse_if_closed, _revise, _today
from threadline.core.cleaning import clean_choice, clean_text
from threadline.core.errors import expect_version
from threadline.youth.models import Youth
from threadline.youth.policy import YouthNotFound, require_youth


def task_add(
    *,
    membership: Membership,
    youth_id: Any,
    title: str,
    owner_person_id: int | None = None,
    owner_organization_id: int | None = None,
    due_on: datetime.date | None = None,
    domain: str = "",
    meeting_id: Any = None,
) -> Task:
    """A next step on the plan; with ``meeting_id``, an action item agreed at that meeting of the
    youth's team, linked to it."""
    title = clean_text(title, field="title", required=True, limit=300)
    domain = clean_choice(domain, NeedDomain, field="domain", blank=True)
    from_meeting = meeting_id is not None
    with transaction.atomic():
        youth, plan = _open_plan(
            membership, youth_id, purpose="meeting action item" if from_meeting else "add task"
        )
        _refuse_if_closed(plan)
        if from_meeting and not Meeting.objects.filter(pk=meeting_id, youth=youth).exists():
            raise Meeting.DoesNotExist
        return _task_create(
            youth=youth,
            plan=plan,
            membership=membership,
            title=title,
            owner_person_id=owner_person_id,
            owner_organization_id=owner_organization_id,
            due_on=due_on,
            domain=domain,
            source=TaskSource.MEETING if from_meeting else TaskSource.PLAN,
            source_id=meeting_id,
        )


def _task_create(
    *,
    youth: Youth,
    plan: CarePlan,
    membership: Membership,
    title: str,
    owner_person_id: int | None,
    owner_organization_id: int | None,
    due_on: datetime.date | None,
    domain: str = "",
    source: str = TaskSource.PLAN,
    source_id: Any = "",
) -> Task:
    person, organization = _check_owner(youth, owner_person_id, owner_organization_id)
    task = Task(
        youth=youth,
        plan=plan,
        title=title,
        domain=domain,
        owner_person=person,
        owner_organization=organization,
        due_on=due_on,
        source=source,
        source_id=str(source_id or "")[:64],
        created_by=membership.user,
    )
    task.save(force_insert=True)
    _revise(plan, membership, "task_added")
    return task


_UNSET: Any = object()


def task_update(
    *,
    membership: Membership,
    youth_id: Any,
    task_id: Any,
    version: int,
    state: str | None = None,
    due_on: datetime.date | None = _UNSET,
    title: str | None = None,
    owner_person_id: int | None = _UNSET,
    owner_organization_id: int | None = _UNSET,
) -> Task:
    """Change a task. ``version`` is the one the person saw; if someone changed it since, nothing is
    written and ``EditConflict`` says so."""
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="update task")
        task = Task.objects.select_for_update().filter(pk=task_id, plan=plan).first()
        if task is None:
            raise Task.DoesNotExist
        if task_category(task.source) != Category.CARE_PLAN:
            # A task a screening made is screening data: without that category it is not there.
            try:
                require_youth(membership, youth.pk, task_category(task.source), write=True)
            except YouthNotFound:
                raise Task.DoesNotExist from None
        task.youth = youth
        expect_version(task, version)
        fields = ["version"]
        if state is not None:
            task.state = clean_choice(state, TaskState, field="state")
            task.done_at = timezone.now() if task.state == TaskState.DONE else None
            fields += ["state", "done_at"]
        if due_on is not _UNSET:
            task.due_on = due_on
            task.reminded_on = None
            fields += ["due_on", "reminded_on"]
        if title is not None:
            task.title = clean_text(title, field="title", required=True, limit=300)
            fields.append("title")
        if owner_person_id is not _UNSET or owner_organization_id is not _UNSET:
            person_id = task.owner_person_id if owner_person_id is _UNSET else owner_person_id
            org_id = task.owner_organization_id if owner_organization_id is _UNSET else owner_organization_id
            task.owner_person, task.owner_organization = _check_owner(youth, person_id, org_id)
            fields += ["owner_person", "owner_organization"]
        task.version += 1
        task.save(update_fields=fields)
        _revise(plan, membership, "task_changed")
    return task


def tasks_remind_overdue(*, today: datetime.date | None = None) -> int:
    """E-mail each person who owns overdue open tasks, at most once a day, with a count and a link
    only: never a youth's name or a task's text (rule 3). Idempotent for the day."""
    today = today or _today()
    reminded = 0
    with transaction.atomic():
        due = (
            Task.objects.select_for_update()
            .filter(due_on__lt=today, owner_person__isnull=False, owner_person__is_active=True)
            .exclude(state=TaskState.DONE)
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        )
        by_person: dict[int, list[Task]] = {}
        emails: dict[int, str] = {}
        for task in due.select_related("owner_person"):
            assert task.owner_person is not None
            by_person.setdefault(task.owner_person.pk, []).append(task)
            emails[task.owner_person.pk] = task.owner_person.email
        for person_id, tasks in by_person.items():
            count = len(tasks)
            send_mail(
                "Threadline: overdue tasks",
                f"You have {count} overdue task{'s' if count != 1 else ''} in Threadline. "
                "Sign in and open My work to see them.",
                None,
                [emails[person_id]],
            )
            Task.objects.filter(pk__in=[t.pk for t in tasks]).update(reminded_on=today)
            reminded += 1
    return reminded
