"""Every write in care coordination. One transaction each, ledger row inside."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from threadline.access.categories import Category
from threadline.access.youth_access import access_youth, active_team
from threadline.accounts.models import Membership, Organization, User
from threadline.audit import ledger
from threadline.care.choices import PLAN_TRANSITIONS, NeedDomain, PlanState, TaskState
from threadline.care.instruments import validate
from threadline.care.models import (
    CarePlan,
    CarePlanRevision,
    Instrument,
    PlanGoal,
    PlanNeed,
    PlanService,
    Task,
    TaskSource,
)
from threadline.youth.models import Youth
from threadline.youth.services import EditConflict, timeline_add

DEMO_ATTESTATION = "Demo instrument written by the Threadline project; no licence needed. Not validated."


class InstrumentConflict(ValidationError):
    """The same slug and version is already loaded with different content."""


def content_hash(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class InstrumentLoaded:
    instrument: Instrument
    created: bool  # False: the identical version was already there and nothing changed


def instrument_load(
    *,
    definition: dict[str, Any],
    licence_attestation: str,
    loaded_by: User | None = None,
    activate: bool = True,
    source: str = "",
) -> InstrumentLoaded:
    """Validate and store one instrument version.

    Loading the identical file twice is harmless; loading different content under a slug+version
    that exists is refused (results already scored with it must keep meaning what they meant).
    A licence attestation is required for every instrument that is not our own demo.
    """
    definition = validate(definition, source=source)
    is_demo = bool(definition.get("demo", False))
    attestation = licence_attestation.strip()
    if not attestation:
        if not is_demo:
            raise ValidationError(
                {
                    "licence_attestation": "Say who holds the licence to use this instrument and on what "
                    "terms; only instruments your agency is licensed to use may be loaded."
                }
            )
        attestation = DEMO_ATTESTATION
    digest = content_hash(definition)
    slug, version = definition["id"], definition["version"]
    with transaction.atomic():
        existing = Instrument.objects.select_for_update().filter(slug=slug, version=version).first()
        if existing is not None:
            if existing.content_hash != digest:
                raise InstrumentConflict(
                    f"{slug} {version} is already loaded with different content. Results scored with it "
                    "must keep their meaning: give the changed file a new version number."
                )
            return InstrumentLoaded(existing, created=False)
        if activate:
            Instrument.objects.filter(slug=slug, is_active=True).update(is_active=False)
        instrument = Instrument.objects.create(
            slug=slug,
            version=version,
            title=definition["title"]["en"][:200],
            definition=definition,
            content_hash=digest,
            is_demo=is_demo,
            licence_attestation=attestation,
            loaded_by=loaded_by,
            is_active=activate,
        )
        ledger.record(
            actor=loaded_by,
            organization=None,
            action="load",
            object_type="instrument",
            object_id=instrument.pk,
            category="program",
            purpose=f"load screening instrument {slug} {version}",
        )
    return InstrumentLoaded(instrument, created=True)


# --- The youth's care: plan, tasks, screenings, notes, closure. ---
# Each service opens the youth through ``access`` for the category it writes (404 otherwise), which
# writes the ledger row in this same transaction; then it writes its rows and a timeline entry.


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value: str, *, field: str, required: bool = False, limit: int = 4000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "Please fill this in."})
    if len(value) > limit:
        raise ValidationError({field: f"Please keep this under {limit} characters."})
    return value


def _choice(value: str, choices: type[models.TextChoices], *, field: str, blank: bool = False) -> str:
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ValidationError({field: "Choose one of the options."})
    return value


def _open_plan(membership: Membership, youth_id: Any, *, purpose: str) -> tuple[Youth, CarePlan]:
    """The youth (care plan, write) and its plan, locked; a draft plan is started if there is none."""
    youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose=purpose)
    plan = CarePlan.objects.select_for_update().filter(youth=youth).first()
    if plan is None:
        plan = CarePlan(youth=youth, version=0)
        plan.save(force_insert=True)
    plan.youth = youth
    return youth, plan


def _refuse_if_closed(plan: CarePlan) -> None:
    if plan.state == PlanState.CLOSED:
        raise ValidationError({"state": "This plan is closed. Re-open it to add to it."})


def plan_snapshot(plan: CarePlan) -> dict[str, Any]:
    """Everything in the plan as it stands, for the revision history."""

    def day(value: datetime.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "state": plan.state,
        "review_on": day(plan.review_on),
        "needs": [
            {"id": str(n.pk), "domain": n.domain, "description": n.description, "met_on": day(n.met_on)}
            for n in _children(plan, plan.needs.all())
        ],
        "goals": [
            {
                "id": str(g.pk),
                "domain": g.domain,
                "words": g.in_their_words,
                "achieved_on": day(g.achieved_on),
            }
            for g in _children(plan, plan.goals.all())
        ],
        "services": [
            {
                "id": str(s.pk),
                "domain": s.domain,
                "provider_id": s.provider_id,
                "provider_name": s.provider_name,
                "description": s.description,
                "started_on": day(s.started_on),
                "ended_on": day(s.ended_on),
            }
            for s in _children(plan, plan.services.all())
        ],
        "tasks": [
            {
                "id": str(t.pk),
                "title": t.title,
                "owner_person_id": t.owner_person_id,
                "owner_organization_id": t.owner_organization_id,
                "due_on": day(t.due_on),
                "state": t.state,
            }
            for t in _children(plan, plan.tasks.order_by("created_at"))
        ],
    }


_Child = TypeVar("_Child", PlanNeed, PlanGoal, PlanService, Task)


def _children(plan: CarePlan, rows: Iterable[_Child]) -> list[_Child]:
    out = []
    for row in rows:
        row.youth = plan.youth  # already opened: no query per row to find the key
        out.append(row)
    return out


# Plain, non-identifying timeline wording for each kind of change.
PLAN_CHANGES = {
    "plan_started": "Care plan started",
    "state_changed": "Care plan state changed",
    "review_set": "Care plan review date set",
    "need_added": "Need added to the care plan",
    "goal_added": "Goal added to the care plan",
    "service_added": "Service added to the care plan",
    "task_added": "Task added",
    "task_changed": "Task updated",
}


def _revise(plan: CarePlan, membership: Membership | None, change: str) -> CarePlanRevision:
    """Bump the plan's version, keep a snapshot, and tell the timeline. Inside the caller's atomic."""
    plan.version += 1
    plan.updated_at = timezone.now()
    plan.save(update_fields=["version", "updated_at", "state", "review_on"])
    revision = CarePlanRevision(
        youth=plan.youth,
        plan=plan,
        number=plan.version,
        by=membership.user if membership else None,
        organization=membership.organization if membership else None,
        change=change,
        snapshot=plan_snapshot(plan),
    )
    revision.save(force_insert=True)
    timeline_add(
        youth=plan.youth,
        kind=f"care_plan_{change}"[:40],
        category=Category.CARE_PLAN,
        summary=PLAN_CHANGES[change],
        membership=membership,
        object_type="care_plan",
        object_id=plan.pk,
    )
    return revision


def care_plan_start(*, membership: Membership, youth_id: Any) -> CarePlan:
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="start care plan")
        if plan.version == 0:
            _revise(plan, membership, "plan_started")
    return plan


def _expect(plan: CarePlan, version: int) -> None:
    if plan.version != version:
        raise EditConflict(current_version=plan.version)


def care_plan_set_state(*, membership: Membership, youth_id: Any, state: str, version: int) -> CarePlan:
    """draft -> active -> under review -> active ... -> closed; a closed plan re-opens to active.
    Closing the whole case (with a reason and aftercare) is ``case_close``."""
    state = _choice(state, PlanState, field="state")
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="change care plan state")
        _expect(plan, version)
        if state not in PLAN_TRANSITIONS[plan.state]:
            raise ValidationError({"state": f"A {plan.state} plan cannot become {state}."})
        plan.state = state
        _revise(plan, membership, "state_changed")
    return plan


def care_plan_set_review(
    *, membership: Membership, youth_id: Any, review_on: datetime.date | None, version: int
) -> CarePlan:
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="set care plan review")
        _expect(plan, version)
        plan.review_on = review_on
        _revise(plan, membership, "review_set")
    return plan


def plan_need_add(*, membership: Membership, youth_id: Any, domain: str, description: str = "") -> PlanNeed:
    domain = _choice(domain, NeedDomain, field="domain")
    description = _text(description, field="description")
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add need")
        _refuse_if_closed(plan)
        need = PlanNeed(youth=youth, plan=plan, domain=domain, description=description)
        need.save(force_insert=True)
        _revise(plan, membership, "need_added")
    return need


def plan_goal_add(*, membership: Membership, youth_id: Any, domain: str, in_their_words: str) -> PlanGoal:
    domain = _choice(domain, NeedDomain, field="domain")
    words = _text(in_their_words, field="in_their_words", required=True)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add goal")
        _refuse_if_closed(plan)
        goal = PlanGoal(youth=youth, plan=plan, domain=domain, in_their_words=words)
        goal.save(force_insert=True)
        _revise(plan, membership, "goal_added")
    return goal


def plan_service_add(
    *,
    membership: Membership,
    youth_id: Any,
    domain: str,
    description: str = "",
    provider_id: int | None = None,
    provider_name: str = "",
    started_on: datetime.date | None = None,
) -> PlanService:
    domain = _choice(domain, NeedDomain, field="domain")
    description = _text(description, field="description")
    provider_name = _text(provider_name, field="provider_name", limit=200)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add service")
        _refuse_if_closed(plan)
        provider = None
        if provider_id is not None:
            provider = Organization.objects.filter(pk=provider_id, is_active=True).first()
            if provider is None:
                raise ValidationError({"provider": "Choose a partner organization."})
        elif not provider_name:
            raise ValidationError({"provider": "Say who provides this service."})
        service = PlanService(
            youth=youth,
            plan=plan,
            domain=domain,
            provider=provider,
            provider_name=provider_name,
            description=description,
            started_on=started_on,
        )
        service.save(force_insert=True)
        _revise(plan, membership, "service_added")
    return service


def _team_organizations(youth: Youth) -> set[int]:
    return set(active_team(timezone.now()).filter(youth=youth).values_list("organization_id", flat=True))


def _check_owner(youth: Youth, person_id: int | None, organization_id: int | None) -> tuple[Any, Any]:
    """A task's owner must be on the youth's care team (the person through their organization):
    anyone else could not even see the task."""
    if person_id is None and organization_id is None:
        raise ValidationError({"owner": "Choose who owns this task: a person, a partner, or both."})
    team = _team_organizations(youth)
    organization = None
    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
        if organization is None or organization.pk not in team:
            raise ValidationError({"owner": "That organization is not on this youth's care team."})
    person = None
    if person_id is not None:
        memberships = Membership.objects.filter(
            user_id=person_id, is_active=True, user__is_active=True, organization_id__in=team
        )
        if organization is not None:
            memberships = memberships.filter(organization=organization)
        membership = memberships.select_related("user").first()
        if membership is None:
            raise ValidationError({"owner": "That person is not on this youth's care team."})
        person = membership.user
    return person, organization


def task_add(
    *,
    membership: Membership,
    youth_id: Any,
    title: str,
    owner_person_id: int | None = None,
    owner_organization_id: int | None = None,
    due_on: datetime.date | None = None,
    domain: str = "",
    source: str = TaskSource.PLAN,
    source_id: Any = "",
) -> Task:
    title = _text(title, field="title", required=True, limit=300)
    domain = _choice(domain, NeedDomain, field="domain", blank=True)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add task")
        _refuse_if_closed(plan)
        return _task_create(
            youth=youth,
            plan=plan,
            membership=membership,
            title=title,
            owner_person_id=owner_person_id,
            owner_organization_id=owner_organization_id,
            due_on=due_on,
            domain=domain,
            source=source,
            source_id=source_id,
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
        task.youth = youth
        if task.version != version:
            raise EditConflict(current_version=task.version)
        fields = ["version"]
        if state is not None:
            task.state = _choice(state, TaskState, field="state")
            task.done_at = timezone.now() if task.state == TaskState.DONE else None
            fields += ["state", "done_at"]
        if due_on is not _UNSET:
            task.due_on = due_on
            task.reminded_on = None
            fields += ["due_on", "reminded_on"]
        if title is not None:
            task.title = _text(title, field="title", required=True, limit=300)
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
