"""Bulk writes for the generator without the ORM's per-row cost: PostgreSQL ``COPY`` (psycopg 3), SQLite
``executemany``. The rows are the ones ``bulk_create`` would write: each field's ``pre_save`` runs (so
encrypted fields are sealed with the row's own key, as ``Model.save`` does) and each value goes through
the field's own conversion to the database, except the plain types the driver takes as they are.

Integer primary keys are taken beforehand (from the table's sequence on PostgreSQL, past the largest id
on SQLite, which this generator writes alone), so rows made in one batch can point at each other, as
they do after ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# Field classes whose Python values the drivers take unchanged on SQLite (sqlite3 takes str, int,
# float; booleans are ints) ...
_PLAIN_SQLITE = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.FloatField,
)
# ... and on PostgreSQL, where psycopg also adapts UUIDs, dates and decimals.
_PLAIN_PG = (*_PLAIN_SQLITE, models.UUIDField, models.DateTimeField, models.DateField, models.DecimalField)


def _target(field: models.Field[Any, Any]) -> models.Field[Any, Any]:
    """The field whose conversion a value takes: a foreign key's target field."""
    while isinstance(field, models.ForeignKey):
        field = field.target_field
    return field


@cache
def _plan(model: type[models.Model], vendor: str) -> tuple[str, list[Callable[[Any], Any]], bool]:
    """(INSERT column list, one value getter per column, whether the pk is taken beforehand)."""
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{meta.label}: multi-table inheritance is not written in bulk here")
    plain = _PLAIN_PG if vendor == "postgresql" else _PLAIN_SQLITE
    columns: list[str] = []
    getters: list[Callable[[Any], Any]] = []
    assign_pk = isinstance(meta.pk, models.AutoField)
    for field in meta.concrete_fields:
        columns.append(connection.ops.quote_name(str(field.column)))
        getters.append(_getter(field, plain))
    return ", ".join(columns), getters, assign_pk


def _getter(
    field: models.Field[Any, Any], plain: tuple[type[models.Field[Any, Any]], ...]
) -> Callable[[Any], Any]:
    attname = field.attname
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy costs a lookup per value
    on_sqlite = db.vendor == "sqlite"
    has_pre_save = type(field).pre_save is not models.Field.pre_save
    # auto_now / auto_now_add are the only pre_save of the date fields; without them it is a plain read
    if isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add):
        has_pre_save = False
    target = _target(field)
    convert = not isinstance(target, plain)
    if on_sqlite and isinstance(target, models.UUIDField):  # what the SQLite backend stores: the hex
        convert = False
        hexed = True
    else:
        hexed = False
    if isinstance(field, models.ForeignKey):
        name = field.name
        fk: models.ForeignKey[Any, Any] = field

        def related(obj: Any) -> Any:
            value = obj.__dict__.get(attname)
            if value is None and fk.is_cached(obj):
                other = fk.get_cached_value(obj)
                if other is not None:
                    value = other.pk
                    obj.__dict__[attname] = value  # as bulk_create's related-field preparation does
            if value is None:
                return None
            if hexed:
                return value.hex
            return field.get_db_prep_save(value, db) if convert else value

        related.__name__ = f"related_{name}"
        return related
    if has_pre_save:

        def saved(obj: Any) -> Any:
            value = field.pre_save(obj, True)
            return field.get_db_prep_save(value, db)

        return saved
    if convert:

        def converted(obj: Any) -> Any:
            return field.get_db_prep_save(obj.__dict__.get(attname), db)

        return converted
    if hexed:

        def hexadecimal(obj: Any) -> Any:
            value = obj.__dict__.get(attname)
            return None if value is None else value.hex

        return hexadecimal

    def read(obj: Any) -> Any:
        return obj.__dict__.get(attname)

    return read


def _take_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    assert model._meta.pk is not None
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {table}")
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


def write_models(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """What ``model.objects.bulk_create(objs)`` writes, in one COPY (or one executemany)."""
    if not objs:
        return
    columns, getters, assign_pk = _plan(model, connection.vendor)
    if assign_pk:
        missing = [obj for obj in objs if obj.pk is None]
        for obj, pk in zip(missing, _take_ids(model, len(missing)), strict=True):
            obj.pk = pk
    rows = [tuple(get(obj) for get in getters) for obj in objs]
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    write_rows(model._meta.db_table, columns, rows)


def write_rows(table: str, columns: str, rows: Iterable[Sequence[Any]]) -> int:
    """Rows already in database form into ``table`` (``columns``: the quoted column list)."""
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        listed = list(rows)
        marks = ", ".join(["%s"] * len(columns.split(", ")))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", listed)
        return len(listed)
