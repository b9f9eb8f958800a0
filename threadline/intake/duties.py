"""Pushed duties (issue 13): an overdue mandatory report (8 hours for a child victim) pages the program's
coordinators (everyone whose role may ``RECEIVE_DUTY_PAGES``) and the on-call supervisor of the
referral's region. Run by the worker every minute (``tasks.page_overdue_reports``); idempotent (one
page per report, kept as a ``ReportOverduePage`` row); takes ``now`` so tests move a fake clock.
The page is a fixed sentence: no youth, no place, no referral detail."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q

from threadline.access.models import TeamRole
from threadline.accounts.models import User
from threadline.audit import ledger
from threadline.core.actions import Action, roles_allowed
from threadline.intake import oncall
from threadline.intake.models import (
    Alert,
    AlertEvent,
    ConsentReminder,
    MandatoryReport,
    ReportOverduePage,
)
from threadline.intake.routing import region_for
from threadline.youth.policy import active_consents, active_team


def _duty_people(report: MandatoryReport, now: datetime) -> list[User]:
    program = report.referral.program
    people: dict[int, User] = {}
    if program.organization_id is not None:
        for user in User.objects.filter(
            is_active=True,
            memberships__organization_id=program.organization_id,
            memberships__is_active=True,
            memberships__role__in=roles_allowed(Action.RECEIVE_DUTY_PAGES),
        ).distinct():
            people[user.pk] = user
    region = report.referral.region or region_for(program=program, county=report.referral.county)
    shift = oncall.on_call_now(region=region, now=now) if region is not None else None
    if shift is not None and shift.supervisor is not None and shift.supervisor.is_active:
        people[shift.supervisor.pk] = shift.supervisor
    return sorted(people.values(), key=lambda user: user.pk)


def reports_overdue_page(*, now: datetime) -> list[int]:
    """Page for every mandatory report past due and not recorded. Returns the reports paged now."""

    def page(report: MandatoryReport) -> bool:
        if report.reported_at is not None or ReportOverduePage.objects.filter(report=report).exists():
            return False
        people = _duty_people(report, now)
        region = report.referral.region or region_for(
            program=report.referral.program, county=report.referral.county
        )
        ReportOverduePage.objects.create(report=report, paged_at=now, recipients=len(people))
        if region is not None:
            for person in people:
                # Each person holds their own alert at the top level: nothing to escalate to.
                alert = Alert.objects.create(
                    kind=Alert.Kind.REPORT_OVERDUE,
                    object_type="mandatory_report",
                    object_id=str(report.pk),
                    region=region,
                    started_at=report.due_at,
                    level=Alert.Level.SUPERVISOR,
                    assigned_to=person,
                    assigned_at=now,
                )
                AlertEvent.objects.create(
                    alert=alert,
                    at=now,
                    action=AlertEvent.Action.ASSIGNED,
                    level=alert.level,
                    person=person,
                )
                oncall.enqueue_notification(alert)
        ledger.record(
            actor=None,
            organization=report.referral.program.organization,
            action="escalate",
            object_type="mandatory_report",
            object_id=report.pk,
            youth_id=report.referral.youth_id,
            category="intake",
            purpose=f"{report.agency} report overdue: {len(people)} paged",
        )
        return True

    return oncall.sweep(
        MandatoryReport.objects.select_related("referral__program", "referral__region"),
        Q(reported_at__isnull=True, due_at__lte=now, overdue_page__isnull=True),
        page,
    )


# --- consents ending -------------------------------------------------------------------------------------

CONSENT_REMINDER_DAYS = 14


def _send_consent_reminders(users: list[User]) -> None:
    """E-mail only: a consent ending in two weeks is not worth a text at night."""
    from threadline.intake.notify import Recipient, notify

    for user in users:
        notify(
            recipient=Recipient(email=user.email, sms_number="", language=user.preferred_language),
            kind="consent_ending",
        )


def consents_ending_remind(*, now: datetime) -> list[str]:
    """Remind the care coordinator(s) on the team of every youth whose consent ends within 14 days.
    Idempotent (one ``ConsentReminder`` per consent); the message is a fixed sentence, sent after
    commit by e-mail."""
    ending = list(
        active_consents(now)
        .filter(expires_at__lte=now + timedelta(days=CONSENT_REMINDER_DAYS))
        .exclude(pk__in=ConsentReminder.objects.values("consent_id"))
        .values_list("pk", "youth_id")
    )
    reminded: list[str] = []
    for consent_id, youth_id in ending:
        with transaction.atomic():
            if ConsentReminder.objects.filter(consent_id=consent_id).exists():
                continue
            people = list(
                User.objects.filter(
                    is_active=True,
                    pk__in=active_team(now)
                    .filter(youth_id=youth_id, role=TeamRole.CARE_COORDINATOR, person__isnull=False)
                    .values("person_id"),
                ).order_by("pk")
            )
            ConsentReminder.objects.create(consent_id=consent_id, reminded_at=now, recipients=len(people))
            ledger.record(
                actor=None,
                organization=None,
                action="notify",
                object_type="consent",
                object_id=consent_id,
                youth_id=youth_id,
                category="consent",
                purpose=f"consent ends within {CONSENT_REMINDER_DAYS} days: {len(people)} reminded",
            )
            if people:
                transaction.on_commit(partial(_send_consent_reminders, people))
            reminded.append(str(consent_id))
    return reminded
