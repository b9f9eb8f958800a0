"""Opening hours as words in the reader's language: "Open 24 hours", "Mon–Fri 9 a.m.–5 p.m.",
"lun–vie 9:00–17:00", instead of HSDS's raw "MO,TU,WE,TH,FR 09:00–17:00"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import time
from typing import Any

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import time_format
from django.utils.translation import gettext as _

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _clock(text: str) -> time | None:
    found = re.match(r"^\s*(\d{1,2}):(\d{2})", text or "")
    if not found:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2))
    if hours == 24 and minutes == 0:
        return time(23, 59)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def _days(byday: str) -> list[int]:
    found = [DAYS.index(d) for d in re.findall(r"(MO|TU|WE|TH|FR|SA|SU)", (byday or "").upper())]
    return sorted(set(found)) or list(range(7))


def days_in_words(days: list[int]) -> str:
    """[0,1,2,3,4] -> "Mon–Fri"; [0,2] -> "Mon, Wed"; all seven -> "Every day"."""
    if len(days) == 7:
        return _("Every day")
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        first, last = str(WEEKDAYS_ABBR[run[0]]), str(WEEKDAYS_ABBR[run[-1]])
        if len(run) >= 3:
            parts.append(f"{first}–{last}")
        else:
            parts.extend(str(WEEKDAYS_ABBR[d]) for d in run)
    return ", ".join(parts)


def schedule_in_words(schedule: Mapping[str, Any]) -> str:
    """One HSDS schedule in words; its own description when its times cannot be read."""
    description = str(schedule.get("description") or "").strip()
    freq = str(schedule.get("freq") or "WEEKLY").upper()
    opens, closes = _clock(str(schedule.get("opens_at") or "")), _clock(str(schedule.get("closes_at") or ""))
    if freq != "WEEKLY" or opens is None or closes is None:
        return description
    days = _days(str(schedule.get("byday") or ""))
    if opens == time(0, 0) and closes == time(23, 59):
        # The provider's own note ("Open 24/7") would only repeat this, in English.
        if len(days) == 7:
            return _("Open 24 hours")
        return _("%(days)s, open 24 hours") % {"days": days_in_words(days)}
    words = f"{days_in_words(days)} {time_format(opens)}–{time_format(closes)}"
    return f"{words} ({description})" if description else words


def hours_in_words(schedules: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every schedule in words, the same line said once."""
    lines: list[str] = []
    for schedule in schedules:
        line = schedule_in_words(schedule)
        if line and line not in lines:
            lines.append(line)
    return lines
