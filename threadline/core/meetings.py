"""What the two kinds of meeting share when one is written up: a youth's team meeting (care) and a
program meeting such as the advisory council (network)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone


def meeting_held(meeting: Any, *, held_at: datetime.datetime | None, **written: str) -> None:
    """What happened at ``meeting`` (``written``: its notes or minutes, its decisions) and when it was
    held: the time given, else the time already recorded, else now. Saved as a new version; call it
    after ``expect_version`` in the caller's transaction."""
    for name, value in written.items():
        setattr(meeting, name, value)
    meeting.held_at = held_at or meeting.held_at or timezone.now()
    meeting.version += 1
    meeting.save(update_fields=[*written, "held_at", "version"])
