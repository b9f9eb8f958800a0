"""Field response (issue 13, seed 000: "an immediate in-field response"): dispatch an advocate to meet
the young person, record each step, and keep the advocate safe with check-ins.

While an advocate is out (on the way, arrived, in contact) they check in every
``INTAKE_CHECK_IN_MINUTES`` (default 30); every step counts as a check-in. A missed check-in raises a
``check_in_missed`` alert straight to the region's on-call supervisor (``check_ins_overdue``, run by
the worker every minute; idempotent, one alarm per missed check-in; takes ``now`` for a fake clock).
The meeting place is location data: encrypted, read on the field page only, each read ledgered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from threadline.accounts.models import Membership, User
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.ids import uuid_or_none, uuid_or_raise
from threadline.core.policy import require
from threadline.intake import oncall
from threadline.intake.ledger_rows import record_row
from threadline.intake.models import Alert, FieldResponse, Referral
from threadline.intake.routing import region_for
from threadline.intake.selectors import programs_for, referral_for_update
from threadline.intake.text import said

State = FieldResponse.State
ACTIVE = [State.DISPATCHED, State.ON_THE_WAY, State.ARRIVED, State.CONTACT_MADE]
OUT = [State.ON_THE_WAY, State.ARRIVED, State.CONTACT_MADE]  # the advocate is out: check-ins due

STEP_LABELS = {
    "on_the_way": gettext_lazy("On the way"),
    "arrived": gettext_lazy("Arrived"),
    "contact_made": gettext_lazy("First contact made"),
    "check_in": gettext_lazy("I am safe (check in)"),
    "end": gettext_lazy("Back safe: end the response"),
}
# step -> (states it may follow, new state, timestamp field)
_STEPS: dict[str, tuple[set[str], str, str]] = {
    "on_the_way": ({State.DISPATCHED}, State.ON_THE_WAY, "on_the_way_at"),
    "arrived": ({State.DISPATCHED, State.ON_THE_WAY}, State.ARRIVED, "arrived_at"),
    "contact_made": ({State.ARRIVED}, State.CONTACT_MADE, "contact_made_at"),
    "check_in": (set(OUT), "", "last_check_in_at"),
    "end": (set(ACTIVE), State.ENDED, "ended_at"),
}


def check_in_minutes() -> int:
    return int(getattr(settings, "INTAKE_CHECK_IN_MINUTES", 30))


# --- reads ---------------------------------------------------------------------------------------------


def referral_for_field(*, membership: Membership, referral_id: object) -> Referral | None:
    pk = uuid_or_none(referral_id)
    if pk is None:
        return None
    return (
        Referral.objects.filter(pk=pk, program__in=programs_for(membership=membership))
        .select_related("program", "region")
        .first()
    )


def advocate_choices(*, referral: Referral) -> QuerySet[User]:
    return oncall.staff_choices(program=referral.program)


def responses_of(*, membership: Membership, referral: Referral) -> list[FieldResponse]:
    """The field responses of a referral, meeting places included: a ledgered read of location data."""
    rows = list(
        FieldResponse.objects.filter(referral=referral)
        .select_related("advocate", "data_key")
        .order_by("-dispatched_at")
    )
    if rows:
        with transaction.atomic():
            ledger.entry(
                membership,
                "read",
                "field_response",
                referral.pk,
                "field response",
                category="location",
                youth_id=referral.youth_id,
            )
    return rows


def in_field(*, membership: Membership) -> QuerySet[FieldResponse]:
    """Advocates out now (for the Today page): no meeting place read."""
    return (
        FieldResponse.objects.filter(
            state__in=ACTIVE, referral__program__in=programs_for(membership=membership)
        )
        .select_related("advocate", "referral")
        .order_by("check_in_due_at")
    )


# --- writes --------------------------------------------------------------------------------------------


def field_dispatch(
    *,
    membership: Membership,
    referral_id: object,
    advocate_id: int,
    meet_at: datetime,
    meeting_place: str,
    now: datetime | None = None,
) -> FieldResponse:
    from threadline.crypto.datakeys import data_key_create

    require(membership, Action.RESPOND_IN_FIELD)
    place = said(meeting_place, field="meeting_place", limit=500, missing=_("Say where to meet."))
    now = now or timezone.now()
    with transaction.atomic():
        referral = referral_for_update(membership=membership, referral_id=referral_id)
        if referral is None:
            raise FieldResponse.DoesNotExist
        advocate = advocate_choices(referral=referral).filter(pk=advocate_id).first()
        if advocate is None:
            raise ValidationError({"advocate": _("Choose someone from this program's staff.")})
        response = FieldResponse(
            referral=referral,
            data_key=data_key_create(),
            advocate=advocate,
            dispatched_by=membership.user,
            meet_at=meet_at,
            meeting_place=place,
            dispatched_at=now,
        )
        response.save(force_insert=True)
        record_row(
            membership,
            response,
            "create",
            "advocate dispatched",
            category="location",
            youth_id=referral.youth_id,
        )
    return response


def field_step(
    *, membership: Membership, response_id: object, step: str, now: datetime | None = None
) -> FieldResponse:
    """One step of the response, by the advocate out there or a colleague of the program. Every step
    is a sign of life: the next check-in is due ``check_in_minutes`` later. First contact also stops the
    referral's referral-to-first-contact clock."""
    require(membership, Action.RESPOND_IN_FIELD)
    if step not in _STEPS:
        raise ValidationError({"step": _("Choose a step.")})
    pk = uuid_or_raise(response_id, FieldResponse.DoesNotExist)
    now = now or timezone.now()
    follows, new_state, stamp = _STEPS[step]
    with transaction.atomic():
        response = (
            FieldResponse.objects.select_for_update(of=("self",))
            .select_related("referral")
            .filter(pk=pk, referral__program__in=programs_for(membership=membership))
            .first()
        )
        if response is None:
            raise FieldResponse.DoesNotExist
        if response.state not in follows:
            raise ValidationError(
                _("That step does not follow “%(state)s”.") % {"state": response.get_state_display()}
            )
        if new_state:
            response.state = new_state
        setattr(response, stamp, now)
        response.last_check_in_at = now
        response.check_in_due_at = (
            now + timedelta(minutes=check_in_minutes()) if response.state in OUT else None
        )
        response.save()
        referral = response.referral
        if step == "contact_made" and referral.first_contact_at is None:
            referral.first_contact_at = max(now, referral.received_at)
            referral.save(update_fields=["first_contact_at"])
        record_row(membership, response, "update", f"field response: {step}", youth_id=referral.youth_id)
    return response


def check_ins_overdue(*, now: datetime) -> list[str]:
    """Page the supervisor for every advocate out whose check-in is overdue. Idempotent: one alarm per
    missed due time (a later missed check-in alarms again)."""

    def alarm(response: FieldResponse) -> bool:
        if (
            response.state not in OUT
            or response.check_in_due_at is None
            or response.check_in_due_at > now
            or response.alarm_raised_for == response.check_in_due_at
        ):
            return False
        referral = response.referral
        region = referral.region or region_for(program=referral.program, county=referral.county)
        response.alarm_raised_for = response.check_in_due_at
        response.save(update_fields=["alarm_raised_for"])
        if region is not None:
            oncall.alert_raise(
                region=region,
                kind=Alert.Kind.CHECK_IN_MISSED,
                now=now,
                object_type="field_response",
                object_id=response.pk,
                started_at=response.check_in_due_at,
                first_level=Alert.Level.SUPERVISOR,
            )
        return True

    alarmed = oncall.sweep(
        FieldResponse.objects.select_related("referral__program", "referral__region"),
        Q(state__in=OUT, check_in_due_at__lte=now),
        alarm,
    )
    return [str(pk) for pk in alarmed]
