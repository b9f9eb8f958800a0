"""Trainings and technical assistance delivered to partners, and the action plans agreed with each
agency (seed 000: "trainings and action plans for agencies"). Counted as activities in outcomes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.accounts.selectors import chosen_organization
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.cleaning import clean_text
from threadline.core.ids import int_or_zero
from threadline.core.policy import require
from threadline.network.base import create_owned, own_for_update
from threadline.network.meeting_services import action_item_add
from threadline.network.models import ActionItem, ActionPlan, Training, TrainingAttendance, TrainingKind


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("Write the hours as a number, e.g. 1.5.")}) from None
    if not Decimal("0.25") <= hours <= Decimal("200"):
        raise ValidationError({"hours": _("Between a quarter of an hour and 200 hours.")})
    return hours.quantize(Decimal("0.01"))


def training_record(
    *,
    membership: Membership,
    topic: str,
    delivered_on: datetime.date,
    hours: Any,
    kind: str = TrainingKind.TRAINING,
    audience: str = "",
    materials: str = "",
    attendance: Iterable[tuple[Any, int]] = (),
) -> Training:
    """A session delivered, with how many people of each organization attended."""
    require(membership, Action.MANAGE_PARTNERSHIPS)
    if kind not in TrainingKind.values:
        raise ValidationError({"kind": _("Choose training or technical assistance.")})
    topic = clean_text(topic, field="topic", limit=200, required=True)
    audience = clean_text(audience, field="audience", limit=200)
    materials = clean_text(materials, field="materials", limit=4000)
    amount = _hours(hours)
    with transaction.atomic():
        training = create_owned(
            Training,
            membership,
            action="training_record",
            object_type="training",
            kind=kind,
            topic=topic,
            audience=audience,
            delivered_on=delivered_on,
            hours=amount,
            materials=materials,
        )
        _attendance_set(training, attendance)
    return training


def _attendance_set(training: Training, attendance: Iterable[tuple[Any, int]]) -> None:
    counts: dict[int, int] = {}
    for organization_id, people in attendance:
        if people < 1 or people > 10_000:
            raise ValidationError({"attendance": _("Write how many people came, at least one.")})
        organization = chosen_organization(organization_id, field="attendance")
        counts[organization.pk] = counts.get(organization.pk, 0) + people
    for organization_id, people in counts.items():
        TrainingAttendance.objects.update_or_create(
            training=training, organization_id=organization_id, defaults={"attendees": people}
        )


def training_attendance_add(
    *, membership: Membership, training_id: Any, organization_id: Any, attendees: int
) -> Training:
    """How many people of one organization attended (a second entry for it replaces the first)."""
    require(membership, Action.MANAGE_PARTNERSHIPS)
    if not 1 <= attendees <= 10_000:
        raise ValidationError({"attendees": _("Write how many people came, at least one.")})
    with transaction.atomic():
        training = own_for_update(Training, membership, training_id)
        organization = chosen_organization(organization_id)
        TrainingAttendance.objects.update_or_create(
            training=training, organization=organization, defaults={"attendees": attendees}
        )
        ledger.record_by(
            membership,
            action="training_attendance",
            object_type="training",
            object_id=training.pk,
            purpose=f"{attendees} from {organization.pk}",
        )
    return training


def action_plan_create(
    *, membership: Membership, partner_id: Any, title: str, training_id: Any = None
) -> ActionPlan:
    require(membership, Action.MANAGE_PARTNERSHIPS)
    title = clean_text(title, field="title", limit=200, required=True)
    with transaction.atomic():
        agency = chosen_organization(partner_id, field="partner")
        training = None
        if training_id:
            training = Training.objects.filter(
                pk=int_or_zero(training_id), program_organization=membership.organization
            ).first()
            if training is None:
                raise ValidationError({"training": _("Choose one of the program's trainings.")})
        return create_owned(
            ActionPlan,
            membership,
            action="action_plan_create",
            object_type="action_plan",
            purpose=f"for {agency.pk}",
            partner=agency,
            title=title,
            training=training,
        )


def action_plan_item_add(
    *, membership: Membership, plan_id: Any, title: str, due_on: datetime.date | None = None
) -> ActionItem:
    """An item of an agency's action plan: a task owned by that agency, with a due date."""
    return action_item_add(membership, ActionPlan, plan_id, title=title, due_on=due_on)
