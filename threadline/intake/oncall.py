"""On-call rota and rapid response: who is on call now, urgent alerts, escalation, acknowledgment.

An urgent item goes to the region's on-call advocate at once. If nobody acknowledges it within
``INTAKE_ESCALATION_MINUTES`` (default 15) it goes to the backup, then to the supervisor. The
escalation runs in the worker every minute (``tasks.escalate_overdue_alerts``), so it happens even
when nobody is signed in. Every function takes ``now`` explicitly: tests move a fake clock instead
of sleeping.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership, User
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.intake.ledger_rows import record_row
from threadline.intake.models import Alert, AlertEvent, OnCallPhone, Program, Region, Shift
from threadline.intake.notify import Delivery, Recipient, notify
from threadline.intake.selectors import program_is_managed_by, programs_for

M = TypeVar("M", bound=Model)

LEVELS = [Alert.Level.PRIMARY, Alert.Level.BACKUP, Alert.Level.SUPERVISOR]
# The shortest per-alert clock there is (issue 13: an immediate-danger referral escalates after 5 min).
ALERT_CLOCK_FLOOR = [1]


def escalation_minutes() -> int:
    return int(
        getattr(settings, "INTAKE_ESCALATION_MINUTES", 0) or os.environ.get("INTAKE_ESCALATION_MINUTES") or 15
    )


# --- reads -----------------------------------------------------------------------------------------


def on_call_now(*, region: Region, now: datetime) -> Shift | None:
    """The shift covering ``now``; if shifts overlap (a hand-over), the one that started last."""
    return (
        Shift.objects.filter(region=region, starts_at__lte=now, ends_at__gt=now)
        .select_related("primary", "backup", "supervisor")
        .order_by("-starts_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class OnCallRow:
    region: Region
    shift: Shift | None


def on_call_board(*, membership: Membership, now: datetime) -> list[OnCallRow]:
    regions = Region.objects.filter(program__in=programs_for(membership=membership)).select_related("program")
    return [OnCallRow(region, on_call_now(region=region, now=now)) for region in regions]


def regions_of(*, program: Program) -> QuerySet[Region]:
    return program.regions.order_by("name")


def shifts_of(*, program: Program, since: datetime) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(region__program=program, ends_at__gt=since)
        .select_related("region", "primary", "backup", "supervisor")
        .order_by("starts_at", "region__name")
    )


def alerts_for(*, membership: Membership) -> QuerySet[Alert]:
    return Alert.objects.filter(region__program__in=programs_for(membership=membership)).select_related(
        "region", "assigned_to", "acknowledged_by"
    )


def open_alerts(*, membership: Membership) -> QuerySet[Alert]:
    return alerts_for(membership=membership).filter(acknowledged_at__isnull=True).order_by("started_at")


def recently_acknowledged(*, membership: Membership, limit: int = 10) -> list[Alert]:
    return list(
        alerts_for(membership=membership)
        .filter(acknowledged_at__isnull=False)
        .order_by("-acknowledged_at")[:limit]
    )


def staff_choices(*, program: Program) -> QuerySet[User]:
    """People who can be put on the rota: active staff of the program's organization."""
    users = User.objects.filter(is_active=True)
    if program.organization_id is not None:
        users = users.filter(
            memberships__organization_id=program.organization_id, memberships__is_active=True
        )
    return users.distinct().order_by("full_name", "email")


# --- rota writes (program admin) ---------------------------------------------------------------------


def _require_manage(membership: Membership, program: Program) -> None:
    if not may(membership, Action.MANAGE_PROGRAM) or not program_is_managed_by(
        program=program, membership=membership
    ):
        raise PermissionDenied


def region_create(*, membership: Membership, program: Program, name: str) -> Region:
    _require_manage(membership, program)
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError({"name": _("Give the region a name.")})
    with transaction.atomic():
        region, created = Region.objects.get_or_create(program=program, name=name)
        if created:
            record_row(membership, region, "create", "on-call rota", category="program")
    return region


def region_coordinator_set(*, membership: Membership, region: Region, coordinator: User | None) -> Region:
    """Issue 14: who coordinates a region (joins the team of a youth who moves into it)."""
    _require_manage(membership, region.program)
    with transaction.atomic():
        region.coordinator = coordinator
        region.save(update_fields=["coordinator"])
        record_row(membership, region, "update", "region coordinator", category="program")
    return region


def shift_create(
    *,
    membership: Membership,
    region: Region,
    starts_at: datetime,
    ends_at: datetime,
    primary: User,
    backup: User | None = None,
    supervisor: User | None = None,
) -> Shift:
    _require_manage(membership, region.program)
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The shift must end after it starts.")
    if backup is not None and backup.pk == primary.pk:
        errors["backup"] = _("The backup must be someone other than the person on call.")
    allowed = set(staff_choices(program=region.program).values_list("pk", flat=True))
    for name, person in (("primary", primary), ("backup", backup), ("supervisor", supervisor)):
        if person is not None and person.pk not in allowed:
            errors[name] = _("Choose someone from this program's staff.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        shift = Shift.objects.create(
            region=region,
            starts_at=starts_at,
            ends_at=ends_at,
            primary=primary,
            backup=backup,
            supervisor=supervisor,
        )
        record_row(membership, shift, "create", "on-call rota", category="program")
    return shift


def shift_delete(*, membership: Membership, shift_id: int) -> None:
    with transaction.atomic():
        shift = Shift.objects.select_related("region__program").filter(pk=shift_id).first()
        if shift is None:
            raise Shift.DoesNotExist
        _require_manage(membership, shift.region.program)
        record_row(membership, shift, "delete", "on-call rota", category="program")
        shift.delete()


def oncall_phone_set(*, membership: Membership, program: Program, user: User, sms_number: str) -> None:
    """The mobile number a rota member gets urgent texts on ('' removes it)."""
    _require_manage(membership, program)
    if not staff_choices(program=program).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("Choose someone from this program's staff.")})
    number = "".join(ch for ch in sms_number if ch.isdigit() or ch == "+")
    if number and not (8 <= len(number.lstrip("+")) <= 15):
        raise ValidationError({"sms_number": _("Enter a mobile number, like +1 210 555 0100.")})
    with transaction.atomic():
        if number:
            OnCallPhone.objects.update_or_create(user=user, defaults={"sms_number": number})
        else:
            OnCallPhone.objects.filter(user=user).delete()
        ledger.entry(membership, "update", "oncall_phone", user.pk, "on-call phone", category="staff")


# --- the escalation engine -----------------------------------------------------------------------------


def _people(shift: Shift | None) -> list[User | None]:
    if shift is None:
        return [None, None, None]
    return [shift.primary, shift.backup, shift.supervisor]


def _next_assignee(shift: Shift | None, after_level: int) -> tuple[int, User | None]:
    """The next level with a person on it, skipping empty ones (no backup: straight to the supervisor)."""
    people = _people(shift)
    for level in range(after_level + 1, len(LEVELS)):
        if people[level] is not None:
            return level, people[level]
    return LEVELS[-1], None


def _enqueue_notification(alert: Alert) -> None:
    from threadline.intake.tasks import alert_notify_task

    alert_id, level = alert.pk, alert.level
    transaction.on_commit(lambda: alert_notify_task(alert_id, level))


def enqueue_notification(alert: Alert) -> None:
    """Notify whoever holds ``alert`` at its level, after commit (used by the duty pages)."""
    _enqueue_notification(alert)


def _organization_of(region: Region) -> object:
    return region.program.organization


def alert_raise(
    *,
    region: Region,
    kind: str,
    now: datetime,
    object_type: str = "",
    object_id: object = "",
    started_at: datetime | None = None,
    membership: Membership | None = None,
    first_level: int = Alert.Level.PRIMARY,
    escalate_after_minutes: int | None = None,
) -> Alert:
    """Assign a new urgent item to whoever is on call in the region and notify them (after commit).
    ``first_level`` starts the chain higher (a missed check-in goes to the supervisor);
    ``escalate_after_minutes`` sets this alert's own clock (the referral's urgency decides it)."""
    if kind not in Alert.Kind.values:
        raise ValueError(f"unknown alert kind {kind!r}")
    with transaction.atomic():
        shift = on_call_now(region=region, now=now)
        level, person = _next_assignee(shift, first_level - 1)
        alert = Alert.objects.create(
            kind=kind,
            object_type=object_type[:40],
            object_id=str(object_id or "")[:64],
            region=region,
            shift=shift,
            started_at=started_at or now,
            level=level if person is not None else Alert.Level.PRIMARY,
            assigned_to=person,
            assigned_at=now,
            escalate_after_minutes=escalate_after_minutes,
        )
        _alert_handed(
            alert,
            now=now,
            action=AlertEvent.Action.ASSIGNED if person else AlertEvent.Action.UNASSIGNED,
            person=person,
            actor=membership.user if membership else None,
            organization=membership.organization if membership else _organization_of(region),
            ledger_action="create",
            purpose=f"{kind} assigned",
        )
    return alert


def _alert_handed(
    alert: Alert,
    *,
    now: datetime,
    action: str,
    person: User | None,
    actor: User | None,
    organization: object,
    ledger_action: str,
    purpose: str,
) -> None:
    """The alert went to someone (or to nobody): its trail row, the ledger row, and, after commit, the
    notification of whoever holds it now."""
    AlertEvent.objects.create(alert=alert, at=now, action=action, level=alert.level, person=person)
    ledger.record(
        actor=actor,
        organization=organization,
        action=ledger_action,
        object_type="alert",
        object_id=alert.pk,
        category="intake",
        purpose=purpose,
    )
    if person is not None:
        _enqueue_notification(alert)


def escalate_due(*, now: datetime) -> list[int]:
    """Escalate every open alert whose current person has had it for the full time. Idempotent: each
    alert is re-read under a lock, so two workers never escalate the same step twice. An alert with its
    own clock (``escalate_after_minutes``) escalates after that many minutes instead."""
    shortest = min([escalation_minutes(), *ALERT_CLOCK_FLOOR])

    def escalate(alert: Alert) -> bool:
        minutes = alert.escalate_after_minutes or escalation_minutes()
        cutoff = now - timedelta(minutes=minutes)
        if alert.acknowledged_at is not None or alert.level >= LEVELS[-1] or alert.assigned_at > cutoff:
            return False
        level, person = _next_assignee(alert.shift, alert.level)
        alert.level = level
        alert.assigned_at = now
        if person is not None:
            alert.assigned_to = person
        alert.save(update_fields=["level", "assigned_at", "assigned_to"])
        _alert_handed(
            alert,
            now=now,
            action=AlertEvent.Action.ESCALATED if person else AlertEvent.Action.UNASSIGNED,
            person=person,
            actor=None,
            organization=_organization_of(alert.region),
            ledger_action="escalate",
            purpose=f"not acknowledged in {minutes} min: level {level}",
        )
        return True

    return sweep(
        Alert.objects.select_related(
            "shift__primary", "shift__backup", "shift__supervisor", "region__program"
        ),
        Q(
            acknowledged_at__isnull=True,
            level__lt=LEVELS[-1],
            assigned_at__lte=now - timedelta(minutes=shortest),
        ),
        escalate,
    )


def sweep(rows: QuerySet[M], due: Q, handle: Callable[[M], bool]) -> list[Any]:
    """The worker's rounds (alerts to escalate, reports overdue, check-ins missed): each row of ``rows``
    due now is re-read under a lock in a transaction of its own, so two workers never act on it twice,
    and handed to ``handle``, which checks it is still due, acts, and says whether it did. Returns the
    pks of the rows it acted on."""
    handled: list[Any] = []
    for pk in list(rows.filter(due).values_list("pk", flat=True)):
        with transaction.atomic():
            row = rows.select_for_update(of=("self",)).filter(pk=pk).first()
            if row is not None and handle(row):
                handled.append(row.pk)
    return handled


def alert_notify(*, alert_id: int, level: int) -> list[Delivery]:
    """Notify the person holding the alert at ``level``. Idempotent: a level is notified once, and
    an alert already acknowledged or moved on is not notified at all."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(of=("self",))
            .select_related("assigned_to")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None or alert.acknowledged_at is not None or alert.level != level:
            return []
        person = alert.assigned_to
        already = AlertEvent.objects.filter(alert=alert, action=AlertEvent.Action.NOTIFIED, level=level)
        if person is None or already.exists():
            return []
        event = AlertEvent.objects.create(
            alert=alert, action=AlertEvent.Action.NOTIFIED, level=level, person=person, detail="sending"
        )
        phone = OnCallPhone.objects.filter(user=person).values_list("sms_number", flat=True).first()
        recipient = Recipient(
            email=person.email if person.is_active else "",
            sms_number=(phone or "") if person.is_active else "",
            language=person.preferred_language,
        )
        kind = alert.kind
    # Sent outside the lock: a slow gateway must not hold up acknowledgment.
    deliveries = notify(recipient=recipient, kind=kind)
    detail = ", ".join(f"{d.channel} {'ok' if d.ok else 'failed'}" for d in deliveries) or "no channel"
    AlertEvent.objects.filter(pk=event.pk).update(detail=detail[:200])
    return deliveries


def alert_mark_acknowledged(alert: Alert, *, membership: Membership, now: datetime, detail: str = "") -> None:
    """Inside the caller's transaction: the clock stops, and the alert's trail says so (and why)."""
    alert.acknowledged_at = now
    alert.acknowledged_by = membership.user
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    AlertEvent.objects.create(
        alert=alert,
        at=now,
        action=AlertEvent.Action.ACKNOWLEDGED,
        level=alert.level,
        person=membership.user,
        detail=detail,
    )


def alert_acknowledge(*, membership: Membership, alert_id: int, now: datetime | None = None) -> Alert:
    """Stop the clock. The person it is assigned to, or anyone of the program who takes referrals."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(of=("self",))
            .filter(pk=alert_id)
            .filter(Q(region__program__in=programs_for(membership=membership)))
            .select_related("region__program")
            .first()
        )
        if alert is None:
            raise Alert.DoesNotExist
        is_assignee = alert.assigned_to_id == membership.user_id
        if not (is_assignee or may(membership, Action.TAKE_REFERRALS)):
            raise PermissionDenied
        if alert.acknowledged_at is None:
            alert_mark_acknowledged(alert, membership=membership, now=now)
            record_row(membership, alert, "acknowledge", "acknowledged")
    return alert


def clock(alert: Alert, now: datetime) -> timedelta:
    """Referral to acknowledgment; while open, referral to now."""
    end = alert.acknowledged_at or now
    return max(end - alert.started_at, timedelta(0))
