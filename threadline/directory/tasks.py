"""Daily: hide listings whose yearly audit is overdue and unconfirmed (never delete them)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from threadline.directory.services import overdue_listings_hide

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="30"))
def hide_overdue_listings() -> int:
    hidden = overdue_listings_hide()
    log.info("directory: %s listing(s) hidden for an overdue audit", hidden)
    return hidden
