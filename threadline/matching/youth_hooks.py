"""The youth record tells the matcher when a youth's searchable details change, and asks it where a
merged record now lives (found by ``threadline.discovery``: youth sits below matching and does not
import it)."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.db import transaction

from threadline.matching.index import youth_index_update
from threadline.matching.selectors import survivor_of
from threadline.youth.models import Youth


def youth_indexed(youth: Youth) -> None:
    from threadline.matching.tasks import duplicates_scan_task

    youth_index_update(youth)
    # Possible duplicates are looked for after the commit, outside the request.
    transaction.on_commit(partial(duplicates_scan_task, str(youth.pk)))


def merged_into(youth_id: Any) -> uuid.UUID | None:
    """The survivor a merged record's reads lead to (None when the record is not merged)."""
    return survivor_of(youth_id)
