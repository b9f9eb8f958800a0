"""``visible_among``'s statement, compiled once for each shape and run again with fresh values.

The matcher asks the policy about its short list (about thirty youths) on every lookup. Building the
grants' ``Exists`` conditions and compiling them cost Django about three times what the database spends
answering. Yet the SQL depends only on the shape of the question: who asks (their membership,
organization and user, and every ``may`` answer, itself a function of the role, the kind of
organization and whether the membership, the account and the organization are active), the category,
the database and how many youths are listed. What changes from call to call is the time and the ids.

So the statement is compiled once with stand-in values for the time and the ids, the places of those
stand-ins among its parameters are remembered, and later calls bind the real values there. Only the
SQL text is kept: the database still evaluates every grant at every call, so a revoked or expired
consent, an ended team membership or a disabled account takes effect on the very next request, as
everywhere. A statement whose stand-ins cannot be found exactly (each id once, the time at least once)
is never kept: that question is compiled afresh each time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import DateField, DateTimeField, QuerySet
from django.utils import timezone

from threadline.youth.models import Youth

# Two sets of stand-ins that no real row or clock carries (1901, 1902, ids drawn afresh): the statement is
# compiled with each, and every parameter that differs between the two must be one of the stand-ins (the
# time, its local date, an id), or the statement is not kept: a value derived from the time some other
# way would otherwise be bound once and for all.
_STAND_IN_TIMES = (
    datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC),
    datetime(1902, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
)
_MAX_KEPT = 512  # shapes kept per process (people x categories x list lengths); the oldest go first
NOW, TODAY = "now", "today"
# How the driver is given each kind of value (built once: the adapters are the fields' own).
_AS_TIME, _AS_DATE, _AS_ID = DateTimeField(), DateField(), Youth._meta.get_field("id")


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str | int], ...]  # (place, NOW / TODAY / the index of an id)
    names: tuple[str, ...]  # the columns, in the order the SQL selects them
    extra: Any  # what ``build`` answered beside its queryset (the grants' names)


_UNKEPT = object()  # this shape's stand-ins could not be found: never kept
_kept: dict[Hashable, _Statement | object | None] = {}

Built = tuple[QuerySet[Any, Any], Any] | None


def rows(
    key: Hashable,
    build: Callable[[datetime, list[uuid.UUID]], Built],
    *,
    alias: str,
    now: datetime,
    ids: list[uuid.UUID],
) -> tuple[list[dict[str, Any]], Any] | None:
    """The rows of ``build(now, ids)`` (a ``values()`` queryset) and its ``extra``, or None when
    ``build`` answers None. ``key`` must name everything the SQL depends on except ``now`` and ``ids``;
    ``alias`` is the database the queryset reads (part of the key)."""
    key = (alias, connections[alias].vendor, len(ids), key)
    if key in _kept:
        statement = _kept[key]
    else:
        statement = _compile(build, alias=alias, size=len(ids))
        if len(_kept) >= _MAX_KEPT:
            _kept.pop(next(iter(_kept)))
        _kept[key] = statement
    if statement is None:
        return None
    if not isinstance(statement, _Statement):  # not keepable: the ORM, as it would have run anyway
        built = build(now, ids)
        return None if built is None else (list(built[0]), built[1])
    params = list(statement.params)
    values = _stand_in_values(now, ids, alias)
    for at, slot in statement.slots:
        params[at] = values[slot]
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, params)
        found = [dict(zip(statement.names, row, strict=True)) for row in cursor.fetchall()]
    for row in found:
        if "pk" in row and not isinstance(row["pk"], uuid.UUID):
            row["pk"] = uuid.UUID(str(row["pk"]))  # SQLite keeps UUIDs as hex text
    return found, statement.extra


def _stand_in_values(now: datetime, ids: list[uuid.UUID], alias: str) -> dict[str | int, Any]:
    """What each slot holds for this time and these ids, as the database driver is given it."""
    connection = connections[alias]
    values: dict[str | int, Any] = {
        NOW: _AS_TIME.get_db_prep_value(now, connection),
        TODAY: _AS_DATE.get_db_prep_value(timezone.localdate(now), connection),
    }
    values.update((i, _AS_ID.get_db_prep_value(youth_id, connection)) for i, youth_id in enumerate(ids))
    return values


def _compile(
    build: Callable[[datetime, list[uuid.UUID]], Built], *, alias: str, size: int
) -> _Statement | object | None:
    compiled = []
    for when in _STAND_IN_TIMES:
        ids = [uuid.uuid4() for _ in range(size)]
        built = build(when, ids)
        if built is None:
            return None
        compiler = built[0].query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        compiled.append((sql, list(params), _stand_in_values(when, ids, alias), compiler, built[1]))
    (sql, params, values, compiler, extra), (other_sql, other_params, other_values, *_rest) = compiled
    if sql != other_sql or len(params) != len(other_params):
        return _UNKEPT
    slots: list[tuple[int, str | int]] = []
    for at, (value, other) in enumerate(zip(params, other_params, strict=True)):
        if value == other:
            continue  # the same in both: a constant of this shape (an organization, a user, a flag)
        slot = next((s for s, v in values.items() if v == value and other_values[s] == other), None)
        if slot is None:
            return _UNKEPT  # a value that follows the stand-ins some other way
        slots.append((at, slot))
    if sorted(s for _at, s in slots if isinstance(s, int)) != list(range(size)):
        return _UNKEPT  # each id bound exactly once
    return _Statement(
        sql=sql,
        params=tuple(params),
        slots=tuple(slots),
        names=tuple(alias_ for _col, _sql, alias_ in compiler.select),
        extra=extra,
    )


def forget() -> None:
    """Drop every kept statement (tests that change the schema or the policy's code paths)."""
    _kept.clear()
