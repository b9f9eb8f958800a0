"""Settings of the outcomes room, each with a default (override in Django settings)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def small_cell_max() -> int:
    """Counts from 1 to this are suppressed in anything de-identified (``OUTCOMES_SMALL_CELL_MAX``)."""
    return int(getattr(settings, "OUTCOMES_SMALL_CELL_MAX", 10))


def fiscal_year_start_month() -> int:
    """First month of the program's fiscal year, 1–12 (``OUTCOMES_FISCAL_YEAR_START_MONTH``; the
    federal and VOCA fiscal year starts in October)."""
    return int(getattr(settings, "OUTCOMES_FISCAL_YEAR_START_MONTH", 10))


def acknowledgment_target() -> dt.timedelta:
    """Target from an urgent referral to the on-call advocate's acknowledgment
    (``OUTCOMES_ACK_TARGET_MINUTES``, default 60)."""
    return dt.timedelta(minutes=int(getattr(settings, "OUTCOMES_ACK_TARGET_MINUTES", 60)))


def first_contact_target() -> dt.timedelta:
    """Target from referral to first contact with the young person
    (``OUTCOMES_FIRST_CONTACT_TARGET_HOURS``, default 24)."""
    return dt.timedelta(hours=int(getattr(settings, "OUTCOMES_FIRST_CONTACT_TARGET_HOURS", 24)))


def dashboard_cache_seconds() -> int:
    """How long a dashboard's figures are reused before they are counted again
    (``OUTCOMES_DASHBOARD_CACHE_SECONDS``, default 300; 0 turns it off). The page says "as of"."""
    return int(getattr(settings, "OUTCOMES_DASHBOARD_CACHE_SECONDS", 300))


def count_on_two_connections() -> bool:
    """Whether a dashboard or report counts its measures in two lanes at once, on two database
    connections (``OUTCOMES_COUNT_ON_TWO_CONNECTIONS``, default on; PostgreSQL only, and only when the
    second connection sees exactly the rows the first does: ``selectors.Facts.two_lanes``)."""
    return bool(getattr(settings, "OUTCOMES_COUNT_ON_TWO_CONNECTIONS", True))


def count_parallel_workers() -> int | None:
    """How many parallel workers PostgreSQL may start for one counting statement
    (``OUTCOMES_COUNT_PARALLEL_WORKERS``, default 0; None leaves the server's own
    ``max_parallel_workers_per_gather``). The measures are already counted in two lanes at once, and
    each statement reads tens of thousands of rows: a parallel plan builds the caseload's hash once per
    worker and competes with the other lane for the same cores. At 50,000 youths on 2 cores the
    dashboard's counting took about a quarter less time without workers (docs/performance.md)."""
    value = getattr(settings, "OUTCOMES_COUNT_PARALLEL_WORKERS", 0)
    return None if value is None else int(value)
