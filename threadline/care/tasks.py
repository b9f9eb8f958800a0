"""Background work for care coordination."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from threadline.care.services.tasks import tasks_remind_overdue


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_overdue_tasks() -> int:
    """Once each morning; idempotent for the day (each task is reminded at most once a day)."""
    return tasks_remind_overdue()
