"""The matcher's jobs: look for possible duplicates of a youth whose searchable details changed.
Enqueued after the commit (``youth_hooks``), takes an id, idempotent."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from threadline.matching.duplicates import duplicates_scan


@db_task(retries=2, retry_delay=60)
def duplicates_scan_task(youth_id: str) -> int:
    return duplicates_scan(youth_id=youth_id)
