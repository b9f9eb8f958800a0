"""The blocking lookup: a referral's keys against the blind index, in one query.

For each key the query counts the youths that carry it, up to a cap (``COMMON_KEY``, or ``RARE_WORD``
for a single word): a key shared by more youths finds nobody in particular and is not used, and
counting stops at the cap, so "maria" costs no more than a rare surname. The youths found by the keys
under their cap are ranked in the database by the evidence of the rules that found them (each rule
counted once per youth, as ``engine.shortlist`` does) and only the best ``CANDIDATE_LIMIT`` come back.
The same query reads how many youths carry each exact word of the name (term frequency, for the
scores). Everything is read from the (digest, youth) primary key: the table itself is never visited.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection

from threadline.matching.blocking import RULE_STRENGTH, WORD_RULES
from threadline.matching.engine import CANDIDATE_LIMIT, COMMON_KEY, RARE_WORD
from threadline.matching.models import BlockKey

HIT, WORD = 0, 1  # the two kinds of rows the query answers


def _sql(keys: int, words: int, excluded: int, *, arrays: bool) -> str:
    """The query for ``keys`` keys, ``words`` exact words and ``excluded`` youths left out. With
    ``arrays`` (PostgreSQL) each list is one array parameter, so the text is the same for every
    referral (the driver keeps it parsed); otherwise one placeholder per value."""
    table = BlockKey._meta.db_table
    if arrays:
        wanted = "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::float8[], %s::int[])"
        not_excluded = "AND b.youth_id <> ALL(%s::uuid[])" if excluded else ""
        word_digests = "= ANY(%s::bigint[])"
    else:
        wanted = "VALUES " + ", ".join(["(CAST(%s AS BIGINT), %s, %s, %s)"] * keys)
        not_excluded = f"AND b.youth_id NOT IN ({', '.join(['%s'] * excluded)})" if excluded else ""
        word_digests = f"IN ({', '.join(['CAST(%s AS BIGINT)'] * words)})"
    word_counts = (
        f"""UNION ALL
        SELECT {WORD}, NULL, k.digest, COUNT(*) FROM {table} k
        WHERE k.digest {word_digests} GROUP BY k.digest"""  # noqa: S608 (the table's name and placeholders)
        if words
        else ""
    )
    # Counting ``LIMIT cap + 1`` rows tells "at most cap" from "more"; the largest cap is COMMON_KEY.
    return f"""
    WITH wanted(digest, rule, strength, cap) AS ({wanted}),
    counted AS MATERIALIZED (
        SELECT w.digest, w.rule, w.strength, w.cap,
               (SELECT COUNT(*) FROM (SELECT 1 FROM {table} c WHERE c.digest = w.digest
                                      LIMIT {COMMON_KEY + 1}) AS capped) AS n
        FROM wanted w
    ),
    found AS (
        SELECT DISTINCT b.youth_id, k.rule, k.strength
        FROM counted k JOIN {table} b ON b.digest = k.digest
        WHERE k.n > 0 AND k.n <= k.cap {not_excluded}
    )
    SELECT * FROM (
        SELECT {HIT} AS kind, youth_id, CAST(NULL AS BIGINT) AS digest, SUM(strength) AS evidence
        FROM found
        GROUP BY youth_id ORDER BY evidence DESC, youth_id LIMIT {CANDIDATE_LIMIT}
    ) AS best
    {word_counts}
    """  # noqa: S608 (the table's name, constants and placeholders: every value is a parameter)


def blocked_candidates(
    wanted: dict[int, tuple[str, str]], *, exclude: Iterable[Any] = ()
) -> tuple[list[uuid.UUID], dict[int, int]]:
    """``wanted``: digest -> (rule, value) of a referral's keys. The short list of youths (best
    evidence first) and, for the ``tk`` (exact word) digests, how many youths carry each."""
    if not wanted:
        return [], {}
    rows = [
        (digest, rule, RULE_STRENGTH[rule], RARE_WORD if rule in WORD_RULES else COMMON_KEY)
        for digest, (rule, _value) in wanted.items()
    ]
    excluded = [uuid.UUID(str(pk)) for pk in exclude]
    words = [digest for digest, (rule, _value) in wanted.items() if rule == "tk"]
    arrays = connection.vendor == "postgresql"
    params: list[Any] = []
    if arrays:
        params += [list(column) for column in zip(*rows, strict=True)]
        params += [excluded] if excluded else []
        params += [words] if words else []
    else:
        params += [value for row in rows for value in row]
        params += [pk.hex for pk in excluded]  # (SQLite stores UUIDs as hex text)
        params += words
    ids: list[uuid.UUID] = []
    frequencies: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(_sql(len(wanted), len(words), len(excluded), arrays=arrays), params)
        for kind, youth_id, digest, number in cursor.fetchall():
            if kind == HIT:
                ids.append(youth_id if isinstance(youth_id, uuid.UUID) else uuid.UUID(str(youth_id)))
            else:
                frequencies[int(digest)] = int(number)
    return ids, frequencies


def count_digests(digests: Iterable[int], *, exclude: Iterable[uuid.UUID] = ()) -> dict[int, int]:
    """How many youths carry each of ``digests``, ``exclude`` left out (``tk`` words the blocking query
    did not count: a candidate's word one letter off the referral's; or every word, counted again
    without the youths a lookup leaves out). A digest nobody carries is left out."""
    wanted = sorted(set(digests))
    if not wanted:
        return {}
    excluded = list(exclude)
    table = BlockKey._meta.db_table
    params: list[Any]
    if connection.vendor == "postgresql":
        # One array each: the same text every time.
        where, params = "digest = ANY(%s::bigint[])", [wanted]
        if excluded:
            where, params = f"{where} AND youth_id <> ALL(%s::uuid[])", [*params, excluded]
    else:
        where, params = f"digest IN ({', '.join(['CAST(%s AS BIGINT)'] * len(wanted))})", list(wanted)
        if excluded:  # (SQLite stores UUIDs as hex text)
            where += f" AND youth_id NOT IN ({', '.join(['%s'] * len(excluded))})"
            params += [pk.hex for pk in excluded]
    with connection.cursor() as cursor:
        # The table's name and placeholders only: every value is a parameter.
        sql = f"SELECT digest, COUNT(*) FROM {table} WHERE {where} GROUP BY digest"  # noqa: S608
        cursor.execute(sql, params)
        return {int(digest): int(number) for digest, number in cursor.fetchall()}
