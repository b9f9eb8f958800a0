"""The matcher's jobs: look for possible duplicates of a youth whose searchable details changed
(enqueued after the commit by ``youth_hooks``, takes an id), and train the matcher's weights on the
program's records (nightly, and after ``matching_reindex``). Both are idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from threadline.matching.duplicates import duplicates_scan
from threadline.matching.training_services import matcher_model_train


@db_task(retries=2, retry_delay=60)
def duplicates_scan_task(youth_id: str) -> int:
    return duplicates_scan(youth_id=youth_id)


def _train() -> int:
    row = matcher_model_train()
    return row.version if row else 0


@db_task(retries=1, retry_delay=600)
def matcher_train_task() -> int:
    """On demand (after a reindex): the new model version, 0 when the priors stay."""
    return _train()


@db_periodic_task(crontab(hour="3", minute="30"))
def matcher_train_nightly() -> int:
    """Each night, after the ledger's verification (02:15)."""
    return _train()
