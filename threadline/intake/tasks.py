"""Rapid response in the worker: notifications and escalation run even when nobody is signed in."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from threadline.intake import oncall

log = logging.getLogger(__name__)


@db_task(retries=2, retry_delay=30)
def alert_notify_task(alert_id: int, level: int) -> int:
    """Takes ids only; idempotent (a level is notified once)."""
    deliveries = oncall.alert_notify(alert_id=alert_id, level=level)
    return sum(1 for delivery in deliveries if delivery.ok)


@db_periodic_task(crontab(minute="*"))
def escalate_overdue_alerts() -> int:
    escalated = oncall.escalate_due(now=timezone.now())
    if escalated:
        log.info("escalated %s unacknowledged alert(s)", len(escalated))
    return len(escalated)


@db_periodic_task(crontab(minute="*"))
def alarm_missed_check_ins() -> int:
    """Issue 13: an advocate in the field who misses a check-in pages the supervisor."""
    from threadline.intake import field_services as field

    alarmed = field.check_ins_overdue(now=timezone.now())
    if alarmed:
        log.info("missed field check-in(s): %s", len(alarmed))
    return len(alarmed)


@db_periodic_task(crontab(minute="*"))
def page_overdue_reports() -> int:
    """Issue 13: an overdue mandatory report pages the coordinators and the on-call supervisor."""
    from threadline.intake import duties

    paged = duties.reports_overdue_page(now=timezone.now())
    if paged:
        log.info("overdue mandatory report(s) paged: %s", len(paged))
    return len(paged)


@db_periodic_task(crontab(minute="7", hour="*"))
def remind_consents_ending() -> int:
    """Issue 13: consents ending within 14 days remind the team's care coordinator (once each)."""
    from threadline.intake import duties

    return len(duties.consents_ending_remind(now=timezone.now()))
