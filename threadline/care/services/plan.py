"""The care plan: its state, review date, needs, goals and services."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.accounts.selectors import chosen_organization
from threadline.care.choices import (
    PLAN_TRANSITIONS,
    NeedDomain,
    PlanState,
)
from threadline.care.models import (
    CarePlan,
    PlanGoal,
    PlanNeed,
    PlanService,
)
from threadline.care.services.base import _open_plan, _refuse_if_closed, _revise, _today
from threadline.core.cleaning import clean_choice, clean_text
from threadline.core.errors import expect_version


def care_plan_start(*, membership: Membership, youth_id: Any) -> CarePlan:
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="start care plan")
        if plan.version == 0:
            _revise(plan, membership, "plan_started")
    return plan


def care_plan_set_state(*, membership: Membership, youth_id: Any, state: str, version: int) -> CarePlan:
    """draft -> active -> under review -> active ... -> closed; a closed plan re-opens to active.
    Closing the whole case (with a reason and aftercare) is ``case_close``."""
    state = clean_choice(state, PlanState, field="state")
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="change care plan state")
        expect_version(plan, version)
        if state not in PLAN_TRANSITIONS[plan.state]:
            raise ValidationError(
                {
                    # The states' API names (what a caller sent), in either language.
                    "state": _("A %(current)s plan cannot become %(state)s.")
                    % {"current": plan.state, "state": state}
                }
            )
        plan.state = state
        _revise(plan, membership, "state_changed")
    return plan


def care_plan_set_review(
    *, membership: Membership, youth_id: Any, review_on: datetime.date | None, version: int
) -> CarePlan:
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="set care plan review")
        expect_version(plan, version)
        plan.review_on = review_on
        _revise(plan, membership, "review_set")
    return plan


Item = TypeVar("Item", PlanNeed, PlanGoal)


def _plan_item_add(
    membership: Membership, youth_id: Any, model: type[Item], purpose: str, change: str, **fields: Any
) -> Item:
    """A need or goal added to an open plan: the plan takes a revision."""
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose=purpose)
        _refuse_if_closed(plan)
        item = model(youth=youth, plan=plan, **fields)
        item.save(force_insert=True)
        _revise(plan, membership, change)
    return item


def plan_need_add(*, membership: Membership, youth_id: Any, domain: str, description: str = "") -> PlanNeed:
    domain = clean_choice(domain, NeedDomain, field="domain")
    description = clean_text(description, field="description")
    return _plan_item_add(
        membership, youth_id, PlanNeed, "add need", "need_added", domain=domain, description=description
    )


def plan_goal_add(*, membership: Membership, youth_id: Any, domain: str, in_their_words: str) -> PlanGoal:
    domain = clean_choice(domain, NeedDomain, field="domain")
    words = clean_text(in_their_words, field="in_their_words", required=True)
    return _plan_item_add(
        membership, youth_id, PlanGoal, "add goal", "goal_added", domain=domain, in_their_words=words
    )


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
    domain = clean_choice(domain, NeedDomain, field="domain")
    description = clean_text(description, field="description")
    provider_name = clean_text(provider_name, field="provider_name", limit=200)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add service")
        _refuse_if_closed(plan)
        provider = None
        if provider_id is not None:
            provider = chosen_organization(provider_id, field="provider")
        elif not provider_name:
            raise ValidationError({"provider": _("Say who provides this service.")})
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


def plan_item_mark(
    *,
    membership: Membership,
    youth_id: Any,
    kind: str,
    item_id: Any,
    done: bool,
    on: datetime.date | None = None,
) -> PlanNeed | PlanGoal:
    """Mark a need met or a goal achieved (or undo it). Versioned like every plan change."""
    model: type[PlanNeed] | type[PlanGoal]
    if kind == "need":
        model, field, change = PlanNeed, "met_on", "need_changed"
    elif kind == "goal":
        model, field, change = PlanGoal, "achieved_on", "goal_changed"
    else:
        raise ValidationError({"kind": _("Choose a need or a goal.")})
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose=f"update {kind}")
        _refuse_if_closed(plan)
        item = model.objects.select_for_update().filter(pk=item_id, plan=plan).first()
        if item is None:
            raise model.DoesNotExist
        item.youth = youth
        setattr(item, field, (on or _today()) if done else None)
        item.save(update_fields=[field])
        _revise(plan, membership, change)
    return item
