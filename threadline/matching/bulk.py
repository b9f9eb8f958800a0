"""The whole index at once: ``matching_reindex``, bulk loads and the benchmark. The same rows as
``index.youth_index_update`` (digests and sealed profile per youth), written in bulk.

On PostgreSQL the two tables are emptied, their indexes and constraints set aside while COPY writes
every row, then rebuilt by sorting (seconds for millions of key rows, where maintaining the indexes row
by row takes minutes). It all runs in one transaction: readers wait for the rebuild (the matcher's
tables are locked for its duration) and never see a half-built index; a failure leaves the old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from threadline.matching.index import digests_of, person_of
from threadline.matching.models import BlockKey, MatchProfile

Batch = list[tuple[Any, dict[str, Any]]]  # (youth, its comparison profile)


def bulk_rows(
    items: Iterable[tuple[Any, dict[str, Any]]],
) -> tuple[list[tuple[Any, int]], list[MatchProfile]]:
    """(youth id, digest) pairs for the blocking keys, and the profiles (sealed when written)."""
    keys: list[tuple[Any, int]] = []
    profiles: list[MatchProfile] = []
    for youth, profile in items:
        keys.extend((youth.pk, d) for d in digests_of(person_of(profile)))
        profiles.append(MatchProfile(youth=youth, data=profile))
    return keys, profiles


def bulk_insert(keys: list[tuple[Any, int]], profiles: list[MatchProfile]) -> None:
    """Write rows made by ``bulk_rows`` for youths that have none yet, inside the caller's transaction:
    COPY on PostgreSQL, batched INSERTs elsewhere."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        for row in profiles:
            row.updated_at = now
        BlockKey.objects.bulk_create([BlockKey(youth_id=y, digest=d) for y, d in keys], batch_size=5000)
        MatchProfile.objects.bulk_create(profiles, batch_size=1000)
        return
    data = MatchProfile._meta.get_field("data")
    ids: dict[Any, str] = {}
    lines = []
    for youth_id, digest in keys:
        text = ids.get(youth_id)
        if text is None:
            text = ids[youth_id] = str(youth_id)
        lines.append(f"{digest}\t{text}\n")
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {BlockKey._meta.db_table} (digest, youth_id) FROM STDIN") as copy:
            copy.write("".join(lines))
        with cursor.copy(
            f"COPY {MatchProfile._meta.db_table} (youth_id, data, updated_at) FROM STDIN"
        ) as copy:
            for row in profiles:
                copy.write_row((row.youth_id, data.pre_save(row, True).blob, now))


def index_rebuild(batches: Iterable[Batch]) -> int:
    """Replace the whole index with the rows of ``batches``; returns how many youths it holds."""
    done = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Deferred foreign-key checks pending in this transaction would forbid TRUNCATE and ALTER.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {BlockKey._meta.db_table}, {MatchProfile._meta.db_table}")
        else:
            BlockKey.objects.all().delete()
            MatchProfile.objects.all().delete()
        with _set_aside_indexes([BlockKey._meta.db_table, MatchProfile._meta.db_table]):
            for batch in batches:
                bulk_insert(*bulk_rows(batch))
                done += len(batch)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Statistics for the planner, and the visibility map the index-only lookups rely on.
            cursor.execute(f"VACUUM ANALYZE {BlockKey._meta.db_table}")
            cursor.execute(f"ANALYZE {MatchProfile._meta.db_table}")
    return done


@contextmanager
def _set_aside_indexes(tables: list[str]) -> Iterator[None]:
    """PostgreSQL: drop the tables' constraints and indexes, and recreate them exactly (from the
    catalog's own definitions) on the way out. Elsewhere, nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype"
            " FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('p', 'u', 'f')"
            " ORDER BY c.contype = 'f' DESC",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s) AND indexname NOT IN"
            " (SELECT conname FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s))",
            [tables, tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in constraints:  # foreign keys first
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition, _kind in reversed(constraints):  # keys before foreign keys
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
