"""The whole index at once: ``matching_reindex``, bulk loads and the benchmark. The same rows as
``index.youth_index_update`` (digests and sealed profile per youth), written in bulk.

On PostgreSQL the two tables are emptied, their indexes and constraints set aside while COPY writes
every row, then rebuilt by sorting (seconds for millions of key rows, where maintaining the indexes row
by row takes minutes). It all runs in one transaction: readers wait for the rebuild (the matcher's
tables are locked for its duration) and never see a half-built index; a failure leaves the old one.
The rows are copied frozen (``COPY ... FREEZE``: the tables were emptied in this transaction), so the
vacuum after the build has nothing to visit, and in PostgreSQL's binary format (digests and ids as their
bytes: nothing to format here or to parse in the server).

The rows of each youth (about 19 keyed digests and the sealed profile) are computed in worker processes
when ``workers`` > 1 (PostgreSQL only), while this process reads the youths and streams the rows the
workers return into COPY. The workers are forked from this process (its settings and keys) and never
touch the database.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from threadline.crypto.envelope import unwrap_data_key
from threadline.crypto.fields import Sealed
from threadline.matching.index import BulkDigests, digests_packed
from threadline.matching.models import BlockKey, MatchProfile

logger = logging.getLogger(__name__)

Batch = list[tuple[Any, dict[str, Any]]]  # (youth, its comparison profile)
# What the rows of one youth are computed from: its id, its data key (id, master key id, wrapped
# bytes) and its comparison profile. Plain values, so a worker process can take them.
Job = tuple[str, str, str, bytes, dict[str, Any]]
# One youth's rows: its id, its digests (``BulkDigests.keys_of``: the BlockKey rows), its sealed profile
# and its digests packed (``MatchProfile.digests``).
Rows = tuple[str, set[bytes], bytes, bytes]
CopyData = tuple[bytes, bytes, int]  # the same as binary COPY data: BlockKey rows, MatchProfile rows; youths

CHUNK = 1000  # youths per piece of work sent to a worker
MAINTENANCE_WORK_MEM = "512MB"  # for this transaction's index builds: the sort of every key in memory

_DATA = MatchProfile._meta.get_field("data")

# PostgreSQL's binary COPY format: a header, each row as its field count and each field's length and
# bytes (bigint and timestamptz: 8 bytes big-endian; uuid: 16), a trailer.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"
_KEY_HEAD = b"\x00\x02\x00\x00\x00\x08"  # two fields; the digest's length
_PROFILE_HEAD = b"\x00\x04"  # four fields
_UUID_LENGTH = b"\x00\x00\x00\x10"
_POSTGRES_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def default_workers() -> int:
    """Processes for a build: the machine's cores, up to four."""
    return max(1, min(4, os.cpu_count() or 1))


def job_of(youth: Any, profile: dict[str, Any]) -> Job:
    key = youth.data_key
    return (str(youth.pk), str(key.id), key.master_key_id, bytes(key.wrapped), profile)


class _Row:
    """What ``EncryptedField.pre_save`` reads of a MatchProfile row (its table, primary key, plain value
    and key): the field seals the profile exactly as ``save()`` does, without a model instance."""

    _meta = MatchProfile._meta

    def __init__(self, pk: str, key: bytes, data: dict[str, Any]) -> None:
        self.pk = pk
        self.key = key
        self.data = data

    def encryption_key(self) -> bytes:
        return self.key


def rows_of(jobs: list[Job], digests: BulkDigests) -> Iterator[Rows]:
    """The BlockKey and MatchProfile rows of each youth of ``jobs``: ``index.youth_index_update``'s
    digests and sealed profile."""
    for youth_id, key_id, master_key_id, wrapped, profile in jobs:
        found = digests.keys_of(profile)
        key = unwrap_data_key(wrapped, data_key_id=key_id, master_key_id=master_key_id)
        blob = _DATA.pre_save(_Row(youth_id, key, profile), True).blob
        yield youth_id, found, blob, digests_packed(found)


def copy_data_of(jobs: list[Job], digests: BulkDigests, updated_at: datetime) -> CopyData:
    """``rows_of`` as binary COPY data, one for each table."""
    stamp = b"\x00\x00\x00\x08" + _postgres_time(updated_at)
    key_rows = [_COPY_HEADER]
    profile_rows = [_COPY_HEADER]
    for youth_id, found, blob, packed in rows_of(jobs, digests):
        youth = _UUID_LENGTH + uuid_bytes(youth_id)  # the last field of a key row, the first of a profile's
        if found:
            key_rows += (_KEY_HEAD, (youth + _KEY_HEAD).join(found), youth)
        profile_rows += (
            _PROFILE_HEAD,
            youth,
            len(blob).to_bytes(4, "big"),
            blob,
            stamp,
            len(packed).to_bytes(4, "big"),
            packed,
        )
    key_rows.append(_COPY_TRAILER)
    profile_rows.append(_COPY_TRAILER)
    return b"".join(key_rows), b"".join(profile_rows), len(jobs)


def uuid_bytes(text: str) -> bytes:
    """A UUID's 16 bytes from its text (``str(uuid)``: hex digits and hyphens)."""
    return bytes.fromhex(text.replace("-", ""))


def _postgres_time(moment: datetime) -> bytes:
    """A timestamptz in binary COPY: microseconds since 2000-01-01 UTC."""
    return ((moment - _POSTGRES_EPOCH) // timedelta(microseconds=1)).to_bytes(8, "big", signed=True)


_WORKER_DIGESTS: BulkDigests | None = None


def _worker_start() -> None:
    global _WORKER_DIGESTS
    # A worker lives for one build and makes no reference cycles (strings, bytes, tuples, sets): the
    # collector would only revisit its caches of shared digests, again and again as they grow.
    gc.disable()
    _WORKER_DIGESTS = BulkDigests()


def _worker_copy_data(jobs: list[Job], updated_at: datetime) -> CopyData:
    assert _WORKER_DIGESTS is not None, "started by _worker_start"
    return copy_data_of(jobs, _WORKER_DIGESTS, updated_at)


def _chunks(batches: Iterable[Batch]) -> Iterator[list[Job]]:
    for batch in batches:
        jobs = [job_of(youth, profile) for youth, profile in batch]
        for start in range(0, len(jobs), CHUNK):
            yield jobs[start : start + CHUNK]


def _computed(batches: Iterable[Batch], workers: int, updated_at: datetime) -> Iterator[CopyData]:
    """The COPY data of every chunk, in order: computed here, or by ``workers`` processes while this one
    reads the next youths and writes what is ready (a few chunks ahead at most)."""
    if workers <= 1:
        digests = BulkDigests()
        for jobs in _chunks(batches):
            yield copy_data_of(jobs, digests, updated_at)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start) as pool:
        pending: deque[Future[CopyData]] = deque()
        for jobs in _chunks(batches):
            pending.append(pool.submit(_worker_copy_data, jobs, updated_at))
            while len(pending) > 2 * workers or (pending and pending[0].done()):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _copy_all(batches: Iterable[Batch], workers: int) -> int:
    """PostgreSQL: COPY every youth's rows (one COPY per chunk and table: reading the next youths runs
    queries in between)."""
    done = 0
    keys_sql = f"COPY {BlockKey._meta.db_table} (digest, youth_id) FROM STDIN WITH (FORMAT binary, FREEZE)"
    profiles_sql = f"COPY {MatchProfile._meta.db_table} (youth_id, data, updated_at, digests) FROM STDIN WITH (FORMAT binary, FREEZE)"
    with connection.cursor() as cursor:
        for keys, profiles, count in _computed(batches, workers, timezone.now()):
            with cursor.copy(keys_sql) as copy:
                copy.write(keys)
            with cursor.copy(profiles_sql) as copy:
                copy.write(profiles)
            done += count
    return done


def _insert_all(batches: Iterable[Batch]) -> int:
    """Other databases: batched INSERTs of the same rows, computed here."""
    done = 0
    now = timezone.now()
    digests = BulkDigests()
    for jobs in _chunks(batches):
        rows = list(rows_of(jobs, digests))
        BlockKey.objects.bulk_create(
            [
                BlockKey(youth_id=y, digest=int.from_bytes(d, "big", signed=True))
                for y, found, _blob, _packed in rows
                for d in found
            ],
            batch_size=5000,
        )
        MatchProfile.objects.bulk_create(
            [
                MatchProfile(youth_id=y, data=Sealed(blob), updated_at=now, digests=packed)
                for y, _found, blob, packed in rows
            ],
            batch_size=1000,
        )
        done += len(jobs)
    return done


def index_rebuild(batches: Iterable[Batch], *, workers: int = 1) -> int:
    """Replace the whole index with the rows of ``batches``; returns how many youths it holds.
    ``workers`` > 1: compute the rows in that many processes (PostgreSQL)."""
    with _gc_frozen():
        return _index_rebuild(batches, workers)


def _index_rebuild(batches: Iterable[Batch], workers: int) -> int:
    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                # Deferred foreign-key checks pending in this transaction would forbid TRUNCATE and ALTER.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {BlockKey._meta.db_table}, {MatchProfile._meta.db_table}")
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        else:
            BlockKey.objects.all().delete()
            MatchProfile.objects.all().delete()
        with _set_aside_indexes([BlockKey._meta.db_table, MatchProfile._meta.db_table]) as loaded:
            done = _copy_all(batches, workers) if postgres else _insert_all(batches)
            loaded.append(time.perf_counter())
    built = time.perf_counter()
    if postgres and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Statistics for the planner, and the visibility map the index-only lookups rely on.
            cursor.execute(f"VACUUM ANALYZE {BlockKey._meta.db_table}")
            cursor.execute(f"ANALYZE {MatchProfile._meta.db_table}")
    logger.info(
        "matcher index: %d youths, rows %.1f s, indexes %.1f s, vacuum %.1f s",
        done,
        loaded[0] - started,
        built - loaded[0],
        time.perf_counter() - built,
    )
    return done


@contextmanager
def _gc_frozen() -> Iterator[None]:
    """The build with every object that exists before it set aside from garbage collection
    (``gc.freeze``, O(1)): the collector then visits only what the build makes, not the caller's heap
    (the bench holds millions of objects: a full collection during the build cost 0.7 s), and the forked
    workers inherit that, so they neither visit nor copy the parent's pages. The objects go back to the
    collector on the way out (a cycle among them is freed after the build instead of during it). A caller
    that froze objects itself is left alone."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _set_aside_indexes(tables: list[str]) -> Iterator[list[float]]:
    """PostgreSQL: drop the tables' constraints and indexes, and recreate them exactly (from the
    catalog's own definitions) on the way out. Elsewhere, nothing. Yields a list for the caller's
    timing."""
    marks: list[float] = []
    if connection.vendor != "postgresql":
        yield marks
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
    yield marks
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition, _kind in reversed(constraints):  # keys before foreign keys
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
