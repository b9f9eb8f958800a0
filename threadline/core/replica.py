"""Reads for dashboards, reports and exports from a streaming replica, when one is configured.

``REPLICA_DATABASE_URL`` adds a ``replica`` database alias (settings/base.py) and turns the router on.
Views that only summarise (the supervisor dashboard, the funder report, exports) run their reads
inside ``reading_from_replica()`` (or the ``reads_from_replica`` decorator); everything else, and
every write, goes to ``default``. Writes never go to the replica: ``db_for_write`` always answers
``default``, and so do reads Django makes for a write (``select_for_update``, ``get_or_create``).

Some reads must see the newest rows even inside a summary: the ledger head (it is locked and
written), and what an organization already published (the differencing guard compares with it: a
lagging replica could let a difference of two tables slip through). Those models are always read
from ``default``.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from django.conf import settings

REPLICA = "replica"
ALWAYS_PRIMARY = frozenset({"audit.ledgerhead", "audit.accessevent", "outcomes.publication"})

_reading = contextvars.ContextVar("threadline_reading_from_replica", default=False)
P = ParamSpec("P")
R = TypeVar("R")


def replica_alias() -> str | None:
    """The alias summaries read from, or None (no replica configured: everything on ``default``)."""
    alias = getattr(settings, "READ_REPLICA_ALIAS", None)
    return alias if alias and alias in settings.DATABASES else None


@contextmanager
def reading_from_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with reading_from_replica():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Django database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        alias = replica_alias()
        if alias is None or not _reading.get() or model._meta.label_lower in ALWAYS_PRIMARY:
            return None
        return alias

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA  # a streaming replica follows the primary's schema; never migrated itself
