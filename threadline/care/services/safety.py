"""The safety plan (safe places are location data)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.care import timeline_messages as msg
from threadline.care.models import (
    SafetyPlan,
)
from threadline.care.services.base import _on_timeline
from threadline.care.services.tasks import _UNSET
from threadline.core.cleaning import clean_text
from threadline.core.errors import expect_version
from threadline.youth.policy import open_youth

SAFETY_FIELDS = (
    "risks_and_triggers",
    "warning_signs",
    "safe_people",
    "code_words",
    "technology_safety",
    "if_missing",
)


LOCATION_FIELDS = ("safe_places",)


def safety_plan_save(
    *,
    membership: Membership,
    youth_id: Any,
    version: int,
    review_on: datetime.date | None = _UNSET,
    **fields: str,
) -> SafetyPlan:
    """Save the safety plan. Safe places are location data: changing them needs the location
    category too. ``version`` is the one the person started from (0 for a new plan)."""
    unknown = set(fields) - set(SAFETY_FIELDS) - set(LOCATION_FIELDS)
    if unknown:
        raise ValidationError({name: _("Not part of a safety plan.") for name in sorted(unknown)})
    clean = {name: clean_text(value, field=name, limit=8000) for name, value in fields.items()}
    with transaction.atomic():
        wanted = (
            [Category.CARE_PLAN, Category.LOCATION]
            if set(clean) & set(LOCATION_FIELDS)
            else [Category.CARE_PLAN]
        )
        opened = open_youth(
            membership, youth_id, wanted, write=True, purpose="edit safety plan", require=Category.CARE_PLAN
        )
        if set(clean) & set(LOCATION_FIELDS) and not opened.allows(Category.LOCATION):
            raise PermissionDenied
        youth = opened.youth
        plan = SafetyPlan.objects.select_for_update().filter(youth=youth).first()
        if plan is None:
            plan = SafetyPlan(youth=youth)
            created = True
        else:
            created = False
        plan.youth = youth
        expect_version(plan, version)
        for name, value in clean.items():
            setattr(plan, name, value)
        if review_on is not _UNSET:
            plan.review_on = review_on
        plan.version += 1
        plan.updated_at = timezone.now()
        plan.updated_by = membership.user
        if created:
            plan.save(force_insert=True)
        else:
            plan.save()
        _on_timeline(membership, youth, plan, "safety_plan", msg.SAFETY_PLAN_UPDATED())
    return plan
