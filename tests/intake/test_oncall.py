"""Rapid response: who is on call, assignment, escalation to backup then supervisor, acknowledgment.
Every step runs on a fake clock passed as ``now``."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from tests.conftest import Persona
from tests.intake.conftest import T0
from threadline.audit.models import AccessEvent
from threadline.intake import oncall
from threadline.intake.models import Alert, AlertEvent, Region, Shift
from threadline.intake.tasks import escalate_overdue_alerts

pytestmark = pytest.mark.django_db
MIN = timedelta(minutes=1)


def raise_alert(region: Region, capture: DjangoCaptureOnCommitCallbacks) -> Alert:
    with capture(execute=True):
        return oncall.alert_raise(
            region=region, kind="urgent_referral", now=T0, object_type="referral", object_id=41
        )


def escalate(now: datetime, capture: DjangoCaptureOnCommitCallbacks) -> list[int]:
    with capture(execute=True):
        return oncall.escalate_due(now=now)


def test_who_is_on_call_now(region: Region, rota: Shift, advocate: Persona) -> None:
    assert oncall.on_call_now(region=region, now=T0) == rota
    assert oncall.on_call_now(region=region, now=rota.ends_at) is None  # the end is exclusive
    assert oncall.on_call_now(region=region, now=rota.starts_at) == rota
    handover = Shift.objects.create(
        region=region, starts_at=T0 - MIN, ends_at=T0 + timedelta(hours=12), primary=advocate.user
    )
    assert oncall.on_call_now(region=region, now=T0) == handover  # the later start wins an overlap


def test_full_escalation_chain_on_a_fake_clock(
    region: Region,
    rota: Shift,
    advocate: Persona,
    coordinator: Persona,
    supervisor: Persona,
    sms_outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    settings.INTAKE_ESCALATION_MINUTES = 15
    alert = raise_alert(region, django_capture_on_commit_callbacks)
    assert (alert.level, alert.assigned_to) == (Alert.Level.PRIMARY, advocate.user)
    assert [m["to"] for m in sms_outbox] == ["+12105550101"]
    assert [m.to for m in mail.outbox] == [[advocate.user.email]]

    # 14 minutes 59 seconds: nothing yet.
    assert escalate(T0 + 15 * MIN - timedelta(seconds=1), django_capture_on_commit_callbacks) == []
    # 15 minutes: the backup.
    assert escalate(T0 + 15 * MIN, django_capture_on_commit_callbacks) == [alert.pk]
    alert.refresh_from_db()
    assert (alert.level, alert.assigned_to) == (Alert.Level.BACKUP, coordinator.user)
    assert sms_outbox[-1]["to"] == "+12105550102"
    # Running again at the same minute changes nothing (idempotent worker).
    assert escalate(T0 + 16 * MIN, django_capture_on_commit_callbacks) == []
    # 30 minutes: the supervisor.
    assert escalate(T0 + 30 * MIN, django_capture_on_commit_callbacks) == [alert.pk]
    alert.refresh_from_db()
    assert (alert.level, alert.assigned_to) == (Alert.Level.SUPERVISOR, supervisor.user)
    # Nobody above the supervisor: it stays there, flagged on the dashboard.
    assert escalate(T0 + 120 * MIN, django_capture_on_commit_callbacks) == []
    assert len(sms_outbox) == 3 and len(mail.outbox) == 3

    actions = list(AlertEvent.objects.filter(alert=alert).order_by("id").values_list("action", "level"))
    assert actions == [
        ("assigned", 0),
        ("notified", 0),
        ("escalated", 1),
        ("notified", 1),
        ("escalated", 2),
        ("notified", 2),
    ]
    assert AccessEvent.objects.filter(object_type="alert", action="escalate").count() == 2


def test_acknowledging_stops_the_clock(
    region: Region,
    rota: Shift,
    advocate: Persona,
    sms_outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    alert = raise_alert(region, django_capture_on_commit_callbacks)
    oncall.alert_acknowledge(membership=advocate.membership, alert_id=alert.pk, now=T0 + 4 * MIN)
    assert escalate(T0 + 60 * MIN, django_capture_on_commit_callbacks) == []
    alert.refresh_from_db()
    assert alert.level == Alert.Level.PRIMARY
    assert oncall.clock(alert, now=T0 + 500 * MIN) == 4 * MIN  # stopped at acknowledgment
    # Acknowledging twice keeps the first time.
    oncall.alert_acknowledge(membership=advocate.membership, alert_id=alert.pk, now=T0 + 9 * MIN)
    alert.refresh_from_db()
    assert alert.acknowledged_at == T0 + 4 * MIN
    assert len(sms_outbox) == 1


def test_clock_runs_from_the_referral_not_from_the_alert(
    region: Region, rota: Shift, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        alert = oncall.alert_raise(region=region, kind="urgent_referral", now=T0, started_at=T0 - 2 * MIN)
    assert oncall.clock(alert, now=T0 + MIN) == 3 * MIN


def test_no_backup_goes_straight_to_the_supervisor(
    region: Region,
    rota: Shift,
    supervisor: Persona,
    sms_outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    Shift.objects.filter(pk=rota.pk).update(backup=None)
    alert = raise_alert(region, django_capture_on_commit_callbacks)
    escalate(T0 + 15 * MIN, django_capture_on_commit_callbacks)
    alert.refresh_from_db()
    assert (alert.level, alert.assigned_to) == (Alert.Level.SUPERVISOR, supervisor.user)


def test_nobody_on_call_is_recorded_not_lost(
    region: Region,
    sms_outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    alert = raise_alert(region, django_capture_on_commit_callbacks)
    assert alert.assigned_to is None
    assert AlertEvent.objects.filter(alert=alert, action="unassigned").exists()
    assert sms_outbox == []


def test_escalation_minutes_is_a_setting(
    region: Region,
    rota: Shift,
    settings: Settings,
    sms_outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.INTAKE_ESCALATION_MINUTES = 5
    alert = raise_alert(region, django_capture_on_commit_callbacks)
    assert escalate(T0 + 5 * MIN, django_capture_on_commit_callbacks) == [alert.pk]


def test_periodic_task_escalates_with_nobody_signed_in(
    region: Region,
    rota: Shift,
    sms_outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # The real clock: an alert assigned an hour ago is overdue now.
    from django.utils import timezone

    Shift.objects.filter(pk=rota.pk).update(
        starts_at=timezone.now() - 120 * MIN, ends_at=timezone.now() + 60 * MIN
    )
    with django_capture_on_commit_callbacks(execute=True):
        alert = oncall.alert_raise(region=region, kind="urgent_referral", now=timezone.now() - 60 * MIN)
    assert alert.level == Alert.Level.PRIMARY
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue_alerts.call_local()
    alert.refresh_from_db()
    assert alert.level == Alert.Level.BACKUP


def test_acknowledge_permissions(
    region: Region,
    rota: Shift,
    advocate: Persona,
    dfps_caseworker: Persona,
    program_admin: Persona,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    sms_outbox: list[dict[str, str]],
) -> None:
    alert = raise_alert(region, django_capture_on_commit_callbacks)
    with pytest.raises(Alert.DoesNotExist):  # another agency: as if it did not exist
        oncall.alert_acknowledge(membership=dfps_caseworker.membership, alert_id=alert.pk, now=T0)
    with pytest.raises(PermissionDenied):  # same agency, but does not take referrals
        oncall.alert_acknowledge(membership=program_admin.membership, alert_id=alert.pk, now=T0)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_rota_editing_is_for_program_admins(
    region: Region, advocate: Persona, program_admin: Persona, dfps_caseworker: Persona, coordinator: Persona
) -> None:
    shift = oncall.shift_create(
        membership=program_admin.membership,
        region=region,
        starts_at=T0,
        ends_at=T0 + 60 * MIN,
        primary=advocate.user,
    )
    for outsider in (dfps_caseworker, coordinator):
        with pytest.raises(PermissionDenied):
            oncall.shift_create(
                membership=outsider.membership,
                region=region,
                starts_at=T0,
                ends_at=T0 + MIN,
                primary=advocate.user,
            )
        with pytest.raises(PermissionDenied):
            oncall.shift_delete(membership=outsider.membership, shift_id=shift.pk)
    assert Shift.objects.filter(region=region).count() == 1


def test_rota_rejects_bad_shifts(
    region: Region, advocate: Persona, program_admin: Persona, dfps_caseworker: Persona
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        oncall.shift_create(
            membership=program_admin.membership,
            region=region,
            starts_at=T0,
            ends_at=T0,
            primary=advocate.user,
        )
    with pytest.raises(ValidationError):  # someone from another agency
        oncall.shift_create(
            membership=program_admin.membership,
            region=region,
            starts_at=T0,
            ends_at=T0 + MIN,
            primary=dfps_caseworker.user,
        )
    with pytest.raises(ValidationError):
        oncall.shift_create(
            membership=program_admin.membership,
            region=region,
            starts_at=T0,
            ends_at=T0 + MIN,
            primary=advocate.user,
            backup=advocate.user,
        )
    assert not Shift.objects.exists()
