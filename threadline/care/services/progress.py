"""Stage of change and outcome check-ins."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.care import timeline_messages as msg
from threadline.care.measures import CheckInError, clean_check_in
from threadline.care.models import (
    OutcomeCheckIn,
    StageAssessment,
)
from threadline.care.services.base import _on_timeline, _today
from threadline.care.stages import Stage
from threadline.care.stages import movement as stage_movement
from threadline.core.cleaning import clean_choice, clean_text
from threadline.youth.policy import access_youth
from threadline.youth.said import Choice


def stage_assess(
    *,
    membership: Membership,
    youth_id: Any,
    stage: str,
    assessed_on: datetime.date | None = None,
    note: str = "",
) -> StageAssessment:
    """Record the stage of change. Moving back is recorded as "returned to an earlier stage",
    a normal part of change, never as failure."""
    stage = clean_choice(stage, Stage, field="stage")
    note = clean_text(note, field="note", limit=4000)
    assessed_on = assessed_on or _today()
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="stage of change")
        previous = (
            StageAssessment.objects.filter(youth=youth, assessed_on__lte=assessed_on)
            .order_by("-assessed_on", "-recorded_at")
            .values_list("stage", flat=True)
            .first()
        )
        assessment = StageAssessment(
            youth=youth,
            stage=stage,
            movement=stage_movement(previous, stage),
            assessed_on=assessed_on,
            note=note,
            by=membership.user,
            organization=membership.organization,
        )
        assessment.save(force_insert=True)
        _on_timeline(
            membership, youth, assessment, "stage_of_change", msg.STAGE_OF_CHANGE(stage=Choice(Stage(stage)))
        )
    return assessment


def outcome_check_in(
    *,
    membership: Membership,
    youth_id: Any,
    ratings: dict[str, Any],
    measured_on: datetime.date | None = None,
) -> OutcomeCheckIn:
    try:
        clean = clean_check_in(ratings)
    except CheckInError as exc:
        raise ValidationError(exc.problems) from exc
    if not clean:
        raise ValidationError({"ratings": _("Rate at least one measure.")})
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="outcome check-in")
        check_in = OutcomeCheckIn(
            youth=youth,
            measured_on=measured_on or _today(),
            ratings=clean,
            by=membership.user,
            organization=membership.organization,
        )
        check_in.save(force_insert=True)
        _on_timeline(membership, youth, check_in, "outcome_check_in", msg.OUTCOME_CHECK_IN())
    return check_in
