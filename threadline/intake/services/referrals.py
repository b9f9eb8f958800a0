"""Referrals: submitted, screened, reported, first contact, status, and their youth record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.errors import Conflict
from threadline.core.policy import may, require
from threadline.intake import timeline_messages as msg
from threadline.intake.choices import Connection
from threadline.intake.eligibility import EligibilityInputError, Question, decide
from threadline.intake.ledger_rows import record_referral, record_row, referral_on_timeline
from threadline.intake.models import (
    EligibilityDecision,
    MandatoryReport,
    Program,
    ReferOutTask,
    Referral,
)
from threadline.intake.selectors import managed_row_locked, referral_alias_names, referral_youth_phone
from threadline.intake.services.rules import decision_keep
from threadline.intake.text import said


@dataclass(frozen=True)
class ReferralInput:
    what_is_known: str
    youth_name: str = ""
    youth_aliases: str = ""  # other names, one per line (or comma-separated)
    youth_date_of_birth: date | None = None
    youth_phone: str = ""
    referrer_contact: str = ""
    source: str = "other"
    concern: str = "clear_concern"
    urgent: bool = False
    county: str = ""
    connection: str = ""
    age: int | None = None
    language: str = "en"
    urgency: str = "other"  # threadline.intake.models.Urgency: decides the escalation clock


def _decision_for(program: Program, data: ReferralInput) -> EligibilityDecision | None:
    rules = program.current_rules()
    if rules is None:
        return None
    try:
        decision = decide(
            program,
            Question(county=data.county or None, age=data.age, connection=data.connection or None),
            rules,
        )
    except EligibilityInputError:
        decision = decide(program, Question(age=data.age), rules)  # county unreadable: needs review
    return decision_keep(program, rules, decision)


def _plausible_birth_date(value: date | None, now: datetime) -> date | None:
    """A date of birth helps find the youth's record; an impossible one would only mislead."""
    if value is None or not date(1990, 1, 1) <= value <= timezone.localdate(now):
        return None
    return value


def referral_submit(
    *,
    program: Program,
    data: ReferralInput,
    channel: str,
    now: datetime | None = None,
    membership: Membership | None = None,
) -> Referral:
    """A referral arrives (the public page, or staff typing a call). It lands in the Coordinator's queue
    with an eligibility decision, and the on-call advocate gets an alert (notified after commit)."""
    from threadline.crypto.datakeys import data_key_create
    from threadline.intake import routing
    from threadline.intake.models import Urgency

    if membership is not None and not (
        may(membership, Action.TAKE_REFERRALS) or may(membership, Action.ENTER_REFERRAL)
    ):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        referral = Referral(
            program=program,
            data_key=data_key_create(),
            channel=channel,
            source=data.source if data.source in Referral.Source.values else Referral.Source.OTHER,
            concern=data.concern
            if data.concern in Referral.Concern.values
            else Referral.Concern.CLEAR_CONCERN,
            urgent=data.urgent,
            urgency=data.urgency if data.urgency in Urgency.values else Urgency.OTHER,
            county=data.county.strip()[:80],
            connection=data.connection if data.connection in Connection.values else "",
            age=data.age if data.age is not None and 0 <= data.age <= 120 else None,
            language=data.language[:8],
            youth_name=data.youth_name.strip()[:200],
            youth_aliases=data.youth_aliases.strip()[:600],
            youth_date_of_birth=_plausible_birth_date(data.youth_date_of_birth, now),
            youth_phone=data.youth_phone.strip()[:40],
            what_is_known=data.what_is_known.strip()[:4000],
            referrer_contact=data.referrer_contact.strip()[:300],
            received_at=now,
            updated_at=now,
        )
        referral.save(force_insert=True)
        referral.decision = _decision_for(program, data)
        referral.save(update_fields=["decision"])
        if referral.age is None or referral.age < 18:
            # A child (or an age not known yet): the 8-hour clocks start now. A coordinator records
            # who was told; an adult's referral has no such duty.
            due = now + timedelta(hours=mandatory_report_hours())
            for agency in MandatoryReport.Agency.values:
                MandatoryReport.objects.create(referral=referral, agency=agency, due_at=due)
        ledger.record(
            actor=membership.user if membership else None,
            organization=membership.organization if membership else program.organization,
            action="create",
            object_type="referral",
            object_id=referral.pk,
            category="intake",
            purpose=f"referral received ({channel})",
        )
        # Issue 13: the county's region (not the first by name); the urgency decides kind and clock.
        routing.referral_route(referral=referral, now=now, membership=membership)
    return referral


def mandatory_report_hours() -> int:
    return int(getattr(settings, "INTAKE_MANDATORY_REPORT_HOURS", 8))


def mandatory_report_record(
    *,
    membership: Membership,
    report_id: int,
    reported_to: str,
    report_number: str,
    reported_at: datetime | None = None,
) -> MandatoryReport:
    require(membership, Action.TAKE_REFERRALS)
    reported_to = said(reported_to, field="reported_to", limit=200, missing=_("Say who was told."))
    with transaction.atomic():
        report = managed_row_locked(
            MandatoryReport, report_id, membership=membership, program="referral__program"
        )
        report.reported_at = reported_at or timezone.now()
        report.reported_to = reported_to
        report.report_number = report_number.strip()[:60]
        report.reported_by = membership.user
        report.save(update_fields=["reported_at", "reported_to", "report_number", "reported_by"])
        record_row(membership, report, "update", f"{report.agency} told", youth_id=report.referral.youth_id)
    return report


def referral_first_contact(
    *, membership: Membership, referral_id: object, at: datetime | None = None
) -> Referral:
    """Stop the referral-to-first-contact clock (the first time only)."""
    from threadline.intake.selectors import referral_locked

    require(membership, Action.TAKE_REFERRALS)
    with transaction.atomic():
        referral = referral_locked(membership=membership, referral_id=referral_id)
        if referral.first_contact_at is None:
            referral.first_contact_at = max(at or timezone.now(), referral.received_at)
            referral.save(update_fields=["first_contact_at"])
            record_referral(membership, referral, "update", "first contact with the young person")
    return referral


FINAL_STATUSES = {Referral.Status.DECLINED, Referral.Status.REDIRECTED, Referral.Status.WITHDRAWN}


def referral_set_status(
    *, membership: Membership, referral_id: object, status: str, reason: str = ""
) -> Referral:
    """Move a referral along. Declining needs a reason; referring out opens a refer-out task."""
    from threadline.intake.selectors import referral_locked

    require(membership, Action.TAKE_REFERRALS)
    if status not in Referral.Status.values or status == Referral.Status.RECEIVED:
        raise ValidationError({"status": _("Choose what happens with this referral.")})
    reason = reason.strip()[:300]
    if status == Referral.Status.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    with transaction.atomic():
        referral = referral_locked(membership=membership, referral_id=referral_id)
        referral.status = status
        referral.status_reason = reason
        referral.updated_at = timezone.now()
        referral.save(update_fields=["status", "status_reason", "updated_at"])
        if status == Referral.Status.REDIRECTED and referral.decision is not None:
            ReferOutTask.objects.get_or_create(
                decision=referral.decision,
                defaults={
                    "program": referral.program,
                    "county": referral.decision.county,
                    "state": referral.decision.state,
                    "created_by": membership.user,
                },
            )
        record_referral(membership, referral, "update", f"referral {status}")
    return referral


def referral_create_youth(*, membership: Membership, referral_id: object) -> Referral:
    """Open a new youth record from the referral (the full matcher comes later: staff check the queue
    for the same young person first) and link the two."""
    from threadline.intake.selectors import referral_locked
    from threadline.youth.services import youth_create

    require(membership, Action.CREATE_YOUTH)
    with transaction.atomic():
        referral = referral_locked(membership=membership, referral_id=referral_id)
        if referral.youth_id is not None:
            return referral
        fields: dict[str, Any] = {}
        if referral.youth_name:
            fields["preferred_name"] = referral.youth_name
        if referral.youth_date_of_birth is not None:
            fields["date_of_birth"] = referral.youth_date_of_birth
        elif referral.age is not None:
            fields["estimated_age"] = referral.age
        counties = [(referral.county, referral.connection or "physically_present")] if referral.county else []
        # Other names and the phone go into the record (and its search index), so the next referral
        # about the same young person finds it.
        aliases = [("alias", name) for name in referral_alias_names(referral)]
        phone = referral_youth_phone(referral)
        ways = [{"kind": "phone", "value": phone}] if phone else []
        youth = youth_create(
            membership=membership, counties=counties, aliases=aliases, contact_ways=ways, **fields
        )
        _attach(referral, youth)
        record_referral(membership, referral, "link", "youth record opened from referral")
    return referral


def _attach(referral: Referral, youth: Any) -> None:
    """The referral now belongs to the youth's record; a new one goes under review (unlinking puts the
    status it had back)."""
    referral.youth = youth
    referral.status_before_link = referral.status
    if referral.status == Referral.Status.RECEIVED:
        referral.status = Referral.Status.UNDER_REVIEW
    referral.updated_at = timezone.now()
    referral.save(update_fields=["youth", "status", "status_before_link", "updated_at"])


def referral_link_youth(*, membership: Membership, referral_id: object, youth_id: object) -> Referral:
    """Link the referral to a youth record that already exists (one the coordinator found among the
    likely matches). The coordinator must be allowed to change that youth's identity details: anyone
    else gets the same answer as for a youth that does not exist. One transaction: the link, a line on
    the youth's timeline and a ledger row, or nothing at all."""
    from threadline.access.categories import Category
    from threadline.intake.selectors import referral_locked
    from threadline.youth.policy import access_youth

    require(membership, Action.TAKE_REFERRALS)
    with transaction.atomic():
        referral = referral_locked(membership=membership, referral_id=referral_id)
        youth = access_youth(
            membership, youth_id, Category.IDENTITY, write=True, purpose="link referral to record"
        )
        if referral.youth_id == youth.pk:
            return referral  # already linked: a second click changes nothing
        if referral.youth_id is not None:
            raise ReferralAlreadyLinked(
                _("This referral is already linked to another youth record. Ask a supervisor to correct it.")
            )
        _attach(referral, youth)
        linked = msg.REFERRAL_LINKED(reference=referral.reference)
        referral_on_timeline(membership, youth, referral, "referral_linked", linked, at=referral.received_at)
        record_referral(membership, referral, "link", "referral linked to existing youth record")
    return referral


class ReferralAlreadyLinked(Conflict, ValidationError):
    """The referral is linked to another youth record already (the API answers 409)."""
