"""Nightly ledger verification. Runs in the worker even when nobody is signed in."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from threadline.audit.anchors import anchor_write
from threadline.audit.forwarding import forward_new_rows
from threadline.audit.ledger import verify_and_store

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="15"))
def nightly_ledger_verify() -> bool:
    result = verify_and_store()
    if result.ok:
        log.info("ledger verified: %s rows", result.rows_checked)
    else:
        log.error("ledger verification failed at row %s: %s", result.first_bad_seq, result.problem)
    return result.ok


@db_periodic_task(crontab(minute="*/15"))
def ledger_anchor() -> int:
    """Every 15 minutes, the head goes outside the database: at most 15 minutes of rows could be cut
    off the end unseen (see ``anchors``)."""
    return anchor_write().seq


@db_periodic_task(crontab(minute="*"))
def ledger_forward() -> int:
    """Every minute, the new ledger rows go to the forwarding log (``audit.forwarding``)."""
    return forward_new_rows()
