"""Background work of the network room."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from threadline.network.agreement_services import agreements_remind_expiring


@db_periodic_task(crontab(hour="7", minute="15"))
def remind_expiring_agreements() -> int:
    """Each morning; idempotent (an agreement is reminded once per end date)."""
    return agreements_remind_expiring()


@db_task()
def remind_expiring_agreements_now() -> int:
    """The same on demand (e.g. after agreements are imported); as idempotent."""
    return agreements_remind_expiring()
