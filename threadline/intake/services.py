"""Every write of the intake hub's programs, rules and decisions. One transaction each, ledger row
inside. On-call writes live in ``oncall``."""

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
from threadline.core.policy import may
from threadline.intake.eligibility import Decision, EligibilityInputError, Question, decide
from threadline.intake.models import (
    Connection,
    Contact,
    CountyRule,
    EligibilityDecision,
    MandatoryReport,
    Outcome,
    Program,
    ReferOutTask,
    Referral,
    RuleVersion,
)
from threadline.intake.selectors import program_is_managed_by, referral_alias_names, referral_youth_phone


@dataclass(frozen=True)
class CountyLimit:
    county: str
    max_age: int
    extended_max_age: int | None = None


def _require_manage(actor: Membership, program: Program) -> None:
    if not may(actor, Action.MANAGE_PROGRAM) or not program_is_managed_by(program=program, membership=actor):
        raise PermissionDenied


def rules_version_create(
    *,
    actor: Membership,
    program: Program,
    based_on: int,
    counties: list[CountyLimit],
    connections: list[str],
    extension_entry_age: int = 18,
    note: str = "",
) -> RuleVersion:
    """Save an edit of the service area as a new, immutable version. ``based_on`` is the version the
    editor saw: if someone saved a newer one meanwhile, refuse rather than silently overwrite."""
    from threadline.intake.eligibility import canonical_county

    _require_manage(actor, program)
    errors: dict[str, str] = {}
    if not counties:
        errors["counties"] = _("Add at least one county.")
    seen: set[str] = set()
    cleaned: list[CountyLimit] = []
    for row in counties:
        name = canonical_county(row.county, program.state)
        if name is None:
            errors["counties"] = _("We could not find a county called “%(county)s” in %(state)s.") % {
                "county": row.county,
                "state": program.state,
            }
            continue
        if name.lower() in seen:
            errors["counties"] = _("%(county)s County is listed twice.") % {"county": name}
            continue
        seen.add(name.lower())
        if not 0 <= row.max_age <= 120:
            errors["counties"] = _("Ages are whole numbers from 0 to 120.")
        if row.extended_max_age is not None and not row.max_age < row.extended_max_age <= 120:
            errors["counties"] = _(
                "The age for youth who started services young must be above the usual age."
            )
        cleaned.append(CountyLimit(name, row.max_age, row.extended_max_age))
    kinds = [kind for kind in Connection.values if kind in set(connections)]
    if not kinds or len(set(connections)) != len(kinds):
        errors["connections"] = _("Choose at least one kind of connection to the area.")
    if not 1 <= extension_entry_age <= 120:
        errors["extension_entry_age"] = _("Ages are whole numbers from 0 to 120.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Program.objects.select_for_update().get(pk=program.pk)
        latest = locked.rule_versions.order_by("-number").values_list("number", flat=True).first() or 0
        if latest != based_on:
            raise ValidationError(
                _(
                    "Someone else saved these rules while you were editing (now version %(number)s). "
                    "Your changes are still in the form: check them against the new version and save again."
                )
                % {"number": latest}
            )
        version = RuleVersion.objects.create(
            program=locked,
            number=latest + 1,
            connections=kinds,
            extension_entry_age=extension_entry_age,
            note=note.strip()[:300],
            created_by=actor.user,
        )
        CountyRule.objects.bulk_create(
            [
                CountyRule(
                    version=version,
                    county=row.county,
                    max_age=row.max_age,
                    extended_max_age=row.extended_max_age,
                )
                for row in sorted(cleaned, key=lambda r: r.county)
            ]
        )
        ledger.record(
            actor=actor.user,
            organization=actor.organization,
            action="create",
            object_type="rule_version",
            object_id=version.pk,
            category="program",
            purpose=f"eligibility rules v{version.number}",
        )
    return version


def eligibility_decision_record(
    *, actor: Membership, program: Program, question: Question
) -> tuple[EligibilityDecision, Decision]:
    """A coordinator decides and keeps the decision with the rule version used. Not eligible opens a
    refer-out task at once, so the young person is never left at a dead end."""
    if not may(actor, Action.TAKE_REFERRALS):
        raise PermissionDenied
    with transaction.atomic():
        rules = program.current_rules()
        decision = decide(program, question, rules)
        if rules is None:
            raise ValidationError(_("This program has no service area yet. Ask the program admin."))
        row = EligibilityDecision.objects.create(
            program=program,
            rule_version=rules,
            outcome=decision.outcome,
            reason_code=decision.code,
            reason_params=decision.params,
            county=decision.county,
            state=decision.state,
            age=decision.age,
            connection=decision.connection,
            entered_before_18=decision.entered_before_18,
            decided_by=actor.user,
        )
        if decision.outcome == Outcome.NOT_ELIGIBLE:
            ReferOutTask.objects.create(
                program=program,
                decision=row,
                county=decision.county,
                state=decision.state,
                created_by=actor.user,
            )
        ledger.record(
            actor=actor.user,
            organization=actor.organization,
            action="create",
            object_type="eligibility_decision",
            object_id=row.pk,
            category="intake",
            purpose=f"eligibility {decision.outcome}",
        )
    return row, decision


def refer_out_task_complete(*, actor: Membership, task_id: int, agency: str) -> ReferOutTask:
    if not may(actor, Action.TAKE_REFERRALS):
        raise PermissionDenied
    agency = agency.strip()[:200]
    if not agency:
        raise ValidationError({"agency": _("Say which agency you connected them with.")})
    with transaction.atomic():
        task = (
            ReferOutTask.objects.select_for_update(of=("self",))
            .select_related("program")
            .filter(pk=task_id)
            .first()
        )
        if task is None or not program_is_managed_by(program=task.program, membership=actor):
            raise ReferOutTask.DoesNotExist
        if task.status == ReferOutTask.Status.OPEN:
            task.status = ReferOutTask.Status.DONE
            task.completed_at = timezone.now()
            task.completed_by = actor.user
            task.agency = agency
            task.save(update_fields=["status", "completed_at", "completed_by", "agency"])
            ledger.record(
                actor=actor.user,
                organization=actor.organization,
                action="update",
                object_type="refer_out_task",
                object_id=task.pk,
                category="intake",
                purpose="referred out",
            )
    return task


def program_attach(*, program: Program, organization_id: int) -> None:
    """Demo setup: give an unowned program to a Care Coordinator organization."""
    with transaction.atomic():
        Program.objects.filter(pk=program.pk, organization__isnull=True).update(
            organization_id=organization_id
        )


# --- referrals -------------------------------------------------------------------------------------


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
    return EligibilityDecision.objects.create(
        program=program,
        rule_version=rules,
        outcome=decision.outcome,
        reason_code=decision.code,
        reason_params=decision.params,
        county=decision.county,
        state=decision.state,
        age=decision.age,
        connection=decision.connection,
    )


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
    actor: Membership | None = None,
) -> Referral:
    """A referral arrives (the public page, or staff typing a call). It lands in the Coordinator's queue
    with an eligibility decision, and the on-call advocate gets an alert (notified after commit)."""
    from threadline.crypto.datakeys import data_key_create
    from threadline.intake import routing
    from threadline.intake.models import Urgency

    if actor is not None and not (may(actor, Action.TAKE_REFERRALS) or may(actor, Action.ENTER_REFERRAL)):
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
            actor=actor.user if actor else None,
            organization=actor.organization if actor else program.organization,
            action="create",
            object_type="referral",
            object_id=referral.pk,
            category="intake",
            purpose=f"referral received ({channel})",
        )
        # Issue 13: the county's region (not the first by name); the urgency decides kind and clock.
        routing.referral_route(referral=referral, now=now, actor=actor)
    return referral


def mandatory_report_hours() -> int:
    return int(getattr(settings, "INTAKE_MANDATORY_REPORT_HOURS", 8))


def mandatory_report_record(
    *,
    actor: Membership,
    report_id: int,
    reported_to: str,
    report_number: str,
    reported_at: datetime | None = None,
) -> MandatoryReport:
    if not may(actor, Action.TAKE_REFERRALS):
        raise PermissionDenied
    reported_to = reported_to.strip()[:200]
    if not reported_to:
        raise ValidationError({"reported_to": _("Say who was told.")})
    with transaction.atomic():
        report = (
            MandatoryReport.objects.select_for_update(of=("self",))
            .select_related("referral__program")
            .filter(pk=report_id)
            .first()
        )
        if report is None or not program_is_managed_by(program=report.referral.program, membership=actor):
            raise MandatoryReport.DoesNotExist
        report.reported_at = reported_at or timezone.now()
        report.reported_to = reported_to
        report.report_number = report_number.strip()[:60]
        report.reported_by = actor.user
        report.save(update_fields=["reported_at", "reported_to", "report_number", "reported_by"])
        ledger.record(
            actor=actor.user,
            organization=actor.organization,
            action="update",
            object_type="mandatory_report",
            object_id=report.pk,
            youth_id=report.referral.youth_id,
            category="intake",
            purpose=f"{report.agency} told",
        )
    return report


def referral_first_contact(*, actor: Membership, referral_id: object, at: datetime | None = None) -> Referral:
    """Stop the referral-to-first-contact clock (the first time only)."""
    from threadline.intake.selectors import referral_for_update

    if not may(actor, Action.TAKE_REFERRALS):
        raise PermissionDenied
    with transaction.atomic():
        referral = referral_for_update(membership=actor, referral_id=referral_id)
        if referral is None:
            raise Referral.DoesNotExist
        if referral.first_contact_at is None:
            referral.first_contact_at = max(at or timezone.now(), referral.received_at)
            referral.save(update_fields=["first_contact_at"])
            ledger.record(
                actor=actor.user,
                organization=actor.organization,
                action="update",
                object_type="referral",
                object_id=referral.pk,
                youth_id=referral.youth_id,
                category="intake",
                purpose="first contact with the young person",
            )
    return referral


FINAL_STATUSES = {Referral.Status.DECLINED, Referral.Status.REDIRECTED, Referral.Status.WITHDRAWN}


def referral_set_status(*, actor: Membership, referral_id: object, status: str, reason: str = "") -> Referral:
    """Move a referral along. Declining needs a reason; referring out opens a refer-out task."""
    from threadline.intake.selectors import referral_for_update

    if not may(actor, Action.TAKE_REFERRALS):
        raise PermissionDenied
    if status not in Referral.Status.values or status == Referral.Status.RECEIVED:
        raise ValidationError({"status": _("Choose what happens with this referral.")})
    reason = reason.strip()[:300]
    if status == Referral.Status.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    with transaction.atomic():
        referral = referral_for_update(membership=actor, referral_id=referral_id)
        if referral is None:
            raise Referral.DoesNotExist
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
                    "created_by": actor.user,
                },
            )
        ledger.record(
            actor=actor.user,
            organization=actor.organization,
            action="update",
            object_type="referral",
            object_id=referral.pk,
            youth_id=referral.youth_id,
            category="intake",
            purpose=f"referral {status}",
        )
    return referral


def referral_create_youth(*, actor: Membership, referral_id: object) -> Referral:
    """Open a new youth record from the referral (the full matcher comes later: staff check the queue
    for the same young person first) and link the two."""
    from threadline.intake.selectors import referral_for_update
    from threadline.youth.services import youth_create

    if not may(actor, Action.CREATE_YOUTH):
        raise PermissionDenied
    with transaction.atomic():
        referral = referral_for_update(membership=actor, referral_id=referral_id)
        if referral is None:
            raise Referral.DoesNotExist
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
            membership=actor, counties=counties, aliases=aliases, contact_ways=ways, **fields
        )
        referral.youth = youth
        referral.status_before_link = referral.status
        if referral.status == Referral.Status.RECEIVED:
            referral.status = Referral.Status.UNDER_REVIEW
        referral.updated_at = timezone.now()
        referral.save(update_fields=["youth", "status", "status_before_link", "updated_at"])
        ledger.record(
            actor=actor.user,
            organization=actor.organization,
            action="link",
            object_type="referral",
            object_id=referral.pk,
            youth_id=youth.pk,
            category="intake",
            purpose="youth record opened from referral",
        )
    return referral


def referral_link_youth(*, membership: Membership, referral_id: object, youth_id: object) -> Referral:
    """Link the referral to a youth record that already exists (one the coordinator found among the
    likely matches). The coordinator must be allowed to change that youth's identity details: anyone
    else gets the same answer as for a youth that does not exist. One transaction: the link, a line on
    the youth's timeline and a ledger row, or nothing at all."""
    from threadline.access.categories import Category
    from threadline.intake.selectors import referral_for_update
    from threadline.youth.policy import access_youth
    from threadline.youth.timeline import timeline_add

    if not may(membership, Action.TAKE_REFERRALS):
        raise PermissionDenied
    with transaction.atomic():
        referral = referral_for_update(membership=membership, referral_id=referral_id)
        if referral is None:
            raise Referral.DoesNotExist
        youth = access_youth(
            membership, youth_id, Category.IDENTITY, write=True, purpose="link referral to record"
        )
        if referral.youth_id == youth.pk:
            return referral  # already linked: a second click changes nothing
        if referral.youth_id is not None:
            raise ReferralAlreadyLinked(
                _("This referral is already linked to another youth record. Ask a supervisor to correct it.")
            )
        referral.youth = youth
        referral.status_before_link = referral.status
        if referral.status == Referral.Status.RECEIVED:
            referral.status = Referral.Status.UNDER_REVIEW
        referral.updated_at = timezone.now()
        referral.save(update_fields=["youth", "status", "status_before_link", "updated_at"])
        timeline_add(
            youth=youth,
            kind="referral_linked",
            category=Category.RECORD,
            # Never the referrer's words: those stay on the referral, readable by intake staff only.
            summary=f"Referral {referral.reference} linked to this record",
            membership=membership,
            object_type="referral",
            object_id=referral.pk,
            at=referral.received_at,
        )
        ledger.record(
            actor=membership.user,
            organization=membership.organization,
            action="link",
            object_type="referral",
            object_id=referral.pk,
            youth_id=youth.pk,
            category="intake",
            purpose="referral linked to existing youth record",
        )
    return referral


# --- contacts ----------------------------------------------------------------------------------------


class ReferralAlreadyLinked(Conflict, ValidationError):
    """The referral is linked to another youth record already (the API answers 409)."""


class IdempotencyConflict(Conflict):
    """The same Idempotency-Key came back with a different body."""

    def __str__(self) -> str:
        return "This Idempotency-Key was already used with a different body."


@dataclass(frozen=True)
class ContactInput:
    channel: str
    message: str = ""
    sender: str = ""
    caller_role: str = "unknown"
    anonymous: bool = True
    language: str = "en"
    crisis: str = "none"
    outcome: str = "pending"
    received_at: datetime | None = None


def _contact_hash(data: ContactInput) -> str:
    import hashlib
    import json

    payload = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data.__dict__.items()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def contact_record(
    *, actor: Membership, data: ContactInput, idempotency_key: str = ""
) -> tuple[Contact, bool]:
    """Log one contact. With an idempotency key, a repeated delivery returns the first contact and
    ``created`` False; the same key with a different body is refused."""
    from django.db import IntegrityError

    from threadline.crypto.datakeys import data_key_create

    if not may(actor, Action.TAKE_REFERRALS):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if data.channel not in Contact.Channel.values:
        errors["channel"] = _("Choose how the contact came in.")
    if data.caller_role not in Contact.CallerRole.values:
        errors["caller_role"] = _("Choose who got in touch.")
    if data.crisis not in Contact.Crisis.values:
        errors["crisis"] = _("Choose the crisis level.")
    if data.outcome not in Contact.ContactOutcome.values:
        errors["outcome"] = _("Choose what came of the contact.")
    if len(data.message) > 10_000 or len(data.sender) > 300:
        errors["message"] = _("The message is too long.")
    key = idempotency_key.strip()
    if len(key) > 100:
        errors["idempotency_key"] = _("An Idempotency-Key is at most 100 characters.")
    if errors:
        raise ValidationError(errors)
    digest = _contact_hash(data)

    def existing() -> Contact | None:
        found = Contact.objects.filter(organization=actor.organization, idempotency_key=key).first()
        if found is not None and found.request_hash != digest:
            raise IdempotencyConflict
        return found

    if key and (found := existing()) is not None:
        return found, False
    try:
        with transaction.atomic():
            contact = Contact(
                organization=actor.organization,
                data_key=data_key_create(),
                channel=data.channel,
                caller_role=data.caller_role,
                anonymous=data.anonymous,
                language=data.language[:8],
                crisis=data.crisis,
                outcome=data.outcome,
                message=data.message,
                sender=data.sender.strip(),
                received_at=data.received_at or timezone.now(),
                recorded_by=actor.user,
                idempotency_key=key,
                request_hash=digest if key else "",
            )
            contact.save(force_insert=True)
            ledger.record(
                actor=actor.user,
                organization=actor.organization,
                action="create",
                object_type="contact",
                object_id=contact.pk,
                category="intake",
                purpose=f"contact ({data.channel})",
            )
    except IntegrityError:
        # Two deliveries raced: the other one won; answer with it.
        if key and (found := existing()) is not None:
            return found, False
        raise
    return contact, True
