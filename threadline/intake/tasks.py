"""Rapid response in the worker: notifications and escalation run even when nobody is signed in."""

from __future__ import annotations

import logging
from collections.abc import Sized

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from threadline.intake import oncall

log = logging.getLogger(__name__)


def _counted(done: Sized, message: str) -> int:
    """How many a periodic job handled; logged (the number only) when there were any."""
    if done:
        log.info(message, len(done))
    return len(done)


@db_task(retries=2, retry_delay=30)
def alert_notify_task(alert_id: int, level: int) -> int:
    """Takes ids only; idempotent (a level is notified once)."""
    deliveries = oncall.alert_notify(alert_id=alert_id, level=level)
    return sum(1 for delivery in deliveries if delivery.ok)


@db_periodic_task(crontab(minute="*"))
def escalate_overdue_alerts() -> int:
    return _counted(oncall.escalate_due(now=timezone.now()), "escalated %s unacknowledged alert(s)")


@db_periodic_task(crontab(minute="*"))
def alarm_missed_check_ins() -> int:
    """Issue 13: an advocate in the field who misses a check-in pages the supervisor."""
    from threadline.intake import field_services as field

    return _counted(field.check_ins_overdue(now=timezone.now()), "missed field check-in(s): %s")


@db_periodic_task(crontab(minute="*"))
def page_overdue_reports() -> int:
    """Issue 13: an overdue mandatory report pages the coordinators and the on-call supervisor."""
    from threadline.intake import duties

    return _counted(duties.reports_overdue_page(now=timezone.now()), "overdue mandatory report(s) paged: %s")


@db_periodic_task(crontab(minute="7", hour="*"))
def remind_consents_ending() -> int:
    """Issue 13: consents ending within 14 days remind the team's care coordinator (once each)."""
    from threadline.intake import duties

    return len(duties.consents_ending_remind(now=timezone.now()))
