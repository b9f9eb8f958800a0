"""Nobody falls through: the worker expires referrals that waited too long for an answer and reminds
whoever follows up when a referral has had no answer in N days (default 3) or is accepted but not
connected in N days (default 14). Reminders are enqueued after the commit, take ids, and are
idempotent (one per wait: a second run finds nothing to do)."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from threadline.referrals import provider_services


@db_task(retries=2, retry_delay=60)
def referral_remind_task(referral_id: str, kind: str, at: str = "") -> bool:
    now = datetime.datetime.fromisoformat(at) if at else None
    return provider_services.referral_remind(referral_id=referral_id, kind=kind, now=now)


def follow_up(*, now: datetime.datetime | None = None) -> int:
    """Expire, then enqueue one reminder per referral whose wait ran out. Returns how many."""
    now = now or timezone.now()
    provider_services.referrals_expire(now=now)
    due = provider_services.referrals_due_for_reminder(now=now)
    with transaction.atomic():
        for referral_id, kind in due:
            transaction.on_commit(partial(referral_remind_task, referral_id, kind, now.isoformat()))
    return len(due)


@db_periodic_task(crontab(minute="15"))
def referrals_follow_up() -> int:
    return follow_up()
