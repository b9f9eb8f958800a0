"""What every care service shares: opening the plan, clean text and choices, plan revisions, task owners."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership, Organization
from threadline.care.choices import (
    PlanChange,
    PlanState,
)
from threadline.care.models import (
    CarePlan,
    CarePlanRevision,
    CaseClosure,
    CaseNote,
    Meeting,
    OutcomeCheckIn,
    PlanGoal,
    PlanNeed,
    PlanService,
    SafetyPlan,
    ScreeningResult,
    StageAssessment,
    Task,
)
from threadline.youth.models import Youth
from threadline.youth.policy import access_youth, active_team
from threadline.youth.said import Choice, Said
from threadline.youth.timeline import timeline_add


def _today() -> datetime.date:
    return timezone.localdate()


def _open_plan(
    membership: Membership, youth_id: Any, *, purpose: str, lock_youth: bool = False
) -> tuple[Youth, CarePlan]:
    """The youth (care plan, write) and its plan, locked; a draft plan is started if there is none."""
    youth = access_youth(
        membership, youth_id, Category.CARE_PLAN, write=True, purpose=purpose, lock=lock_youth
    )
    return youth, _lock_plan(youth)


def _lock_plan(youth: Youth) -> CarePlan:
    """The youth's plan, locked; a draft plan is started if there is none."""
    plan = CarePlan.objects.select_for_update().filter(youth=youth).first()
    if plan is None:
        plan = CarePlan(youth=youth, version=0)
        plan.save(force_insert=True)
    plan.youth = youth
    return plan


def _refuse_if_closed(plan: CarePlan) -> None:
    if plan.state == PlanState.CLOSED:
        raise ValidationError({"state": _("This plan is closed. Re-open it to add to it.")})


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
# Stored in English (the timeline shows it through gettext, in the reader's language): the labels of
# ``PlanChange``, so both speak with one voice.
# What the timeline calls each kind of care row (the names it has always used).
TIMELINE_TYPES: dict[type[models.Model], str] = {
    CarePlan: "care_plan",
    CaseClosure: "case_closure",
    CaseNote: "case_note",
    Meeting: "meeting",
    OutcomeCheckIn: "outcome_check_in",
    SafetyPlan: "safety_plan",
    ScreeningResult: "screening",
    StageAssessment: "stage_assessment",
}


def _on_timeline(
    membership: Membership | None,
    youth: Youth,
    row: models.Model,
    kind: str,
    summary: Said | Choice,
    *,
    category: str = Category.CARE_PLAN,
    at: datetime.datetime | None = None,
) -> None:
    """A line on the youth's timeline for a care write: what happened, to which row, by whom."""
    timeline_add(
        youth=youth,
        kind=kind,
        category=category,
        summary=summary,
        membership=membership,
        object_type=TIMELINE_TYPES[type(row)],
        object_id=row.pk,
        at=at,
    )


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
    _on_timeline(membership, plan.youth, plan, f"care_plan_{change}"[:40], Choice(PlanChange(change)))
    return revision


def _team_organizations(youth: Youth) -> set[int]:
    return set(active_team(timezone.now()).filter(youth=youth).values_list("organization_id", flat=True))


def _check_owner(youth: Youth, person_id: int | None, organization_id: int | None) -> tuple[Any, Any]:
    """A task's owner must be on the youth's care team (the person through their organization):
    anyone else could not even see the task."""
    if person_id is None and organization_id is None:
        raise ValidationError({"owner": _("Choose who owns this task: a person, a partner, or both.")})
    team = _team_organizations(youth)
    organization = None
    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
        if organization is None or organization.pk not in team:
            raise ValidationError({"owner": _("That organization is not on this youth's care team.")})
    person = None
    if person_id is not None:
        memberships = Membership.objects.filter(
            user_id=person_id, is_active=True, user__is_active=True, organization_id__in=team
        )
        if organization is not None:
            memberships = memberships.filter(organization=organization)
        membership = memberships.select_related("user").first()
        if membership is None:
            raise ValidationError({"owner": _("That person is not on this youth's care team.")})
        person = membership.user
    return person, organization
