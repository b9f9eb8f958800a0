"""/api/v1/care/: the same selectors and services as the pages. A youth the caller may not see
(in the category asked) answers exactly like one that does not exist."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from threadline.care import selectors
from threadline.care.choices import TaskState
from threadline.care.models import Task
from threadline.care.services.tasks import task_add, task_update

PREFIX = "/care/"
router = Router(tags=["care"])


class TaskOut(Schema):
    id: uuid.UUID
    youth_id: uuid.UUID
    youth_reference: str
    title: str
    domain: str
    owner_person_id: int | None
    owner_organization_id: int | None
    due_on: datetime.date | None
    state: str
    source: str
    version: int


class MeetingOut(Schema):
    id: uuid.UUID
    youth_id: uuid.UUID
    youth_reference: str
    meeting_type: str
    scheduled_at: datetime.datetime


class MyWorkOut(Schema):
    today: datetime.date
    overdue: list[TaskOut]
    due_today: list[TaskOut]
    upcoming: list[TaskOut]
    meetings: list[MeetingOut]


class NeedOut(Schema):
    domain: str
    description: str
    met_on: datetime.date | None


class GoalOut(Schema):
    domain: str
    in_their_words: str
    achieved_on: datetime.date | None


class ServiceOut(Schema):
    domain: str
    provider_id: int | None
    provider_name: str
    description: str


class PlanOut(Schema):
    youth_id: uuid.UUID
    state: str | None
    version: int
    needs: list[NeedOut]
    goals: list[GoalOut]
    services: list[ServiceOut]
    tasks: list[TaskOut]


class TaskIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(..., max_length=300)
    owner_person_id: int | None = None
    owner_organization_id: int | None = None
    due_on: datetime.date | None = None
    domain: str = ""


class TaskPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    version: int
    state: TaskState | None = None
    due_on: datetime.date | None = None


def _membership(request: HttpRequest) -> Any:
    return getattr(request, "membership", None)


def _task(t: Task) -> dict[str, Any]:
    return {
        "id": t.pk,
        "youth_id": t.youth_id,
        "youth_reference": t.youth.reference,
        "title": t.title,
        "domain": t.domain,
        "owner_person_id": t.owner_person_id,
        "owner_organization_id": t.owner_organization_id,
        "due_on": t.due_on,
        "state": t.state,
        "source": t.source,
        "version": t.version,
    }


@router.get("/my-work", response=MyWorkOut)
def my_work(request: HttpRequest) -> dict[str, Any]:
    work = selectors.my_work(membership=_membership(request))
    return {
        "today": work.today,
        "overdue": [_task(t) for t in work.overdue],
        "due_today": [_task(t) for t in work.due_today],
        "upcoming": [_task(t) for t in work.upcoming],
        "meetings": [
            {
                "id": m.pk,
                "youth_id": m.youth_id,
                "youth_reference": m.youth.reference,
                "meeting_type": m.meeting_type,
                "scheduled_at": m.scheduled_at,
            }
            for m in work.meetings
        ],
    }


@router.get("/{youth_id}/plan", response={200: PlanOut})
def get_plan(request: HttpRequest, youth_id: str) -> Status[Any]:
    page = selectors.care_plan_page(membership=_membership(request), youth_id=youth_id)
    return Status(
        200,
        {
            "youth_id": page.youth.pk,
            "state": page.plan.state if page.plan else None,
            "version": page.plan.version if page.plan else 0,
            "needs": [
                {"domain": n.domain, "description": n.description, "met_on": n.met_on} for n in page.needs
            ],
            "goals": [
                {"domain": g.domain, "in_their_words": g.in_their_words, "achieved_on": g.achieved_on}
                for g in page.goals
            ],
            "services": [
                {
                    "domain": s.domain,
                    "provider_id": s.provider_id,
                    "provider_name": s.provider_name,
                    "description": s.description,
                }
                for s in page.services
            ],
            "tasks": [_task(t) for t in page.tasks],
        },
    )


@router.post("/{youth_id}/tasks", response={201: TaskOut})
def add_task(request: HttpRequest, youth_id: str, payload: TaskIn) -> Status[Any]:
    task = task_add(membership=_membership(request), youth_id=youth_id, **payload.model_dump())
    return Status(201, _task(task))


@router.patch("/{youth_id}/tasks/{task_id}", response={200: TaskOut})
def patch_task(request: HttpRequest, youth_id: str, task_id: uuid.UUID, payload: TaskPatch) -> Status[Any]:
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    task = task_update(membership=_membership(request), youth_id=youth_id, task_id=task_id, **changes)
    return Status(200, _task(task))


class ScreeningOut(Schema):
    id: uuid.UUID
    instrument: str
    version: str
    screened_on: datetime.date
    total: int
    band: str | None
    band_at_least: str
    complete: bool
    change: int | None
    rescreen_due_on: datetime.date | None


@router.get("/{youth_id}/screenings", response={200: list[ScreeningOut]})
def list_screenings(request: HttpRequest, youth_id: str) -> Status[Any]:
    rows = selectors.screenings_of(membership=_membership(request), youth_id=youth_id)
    return Status(
        200,
        [
            {
                "id": r.result.pk,
                "instrument": r.result.instrument.slug,
                "version": r.result.instrument.version,
                "screened_on": r.result.screened_on,
                "total": r.result.total,
                "band": r.result.band or None,
                "band_at_least": r.result.band_at_least,
                "complete": r.result.complete,
                "change": r.change,
                "rescreen_due_on": r.result.rescreen_due_on,
            }
            for r in rows
        ],
    )
