"""Write and verify the access ledger.

``record`` must run inside the same transaction as the read or write it records: if that work rolls
back, so does its ledger row, and a row never exists for something that did not happen.
"""

from __future__ import annotations

import hashlib
import hmac as hmac_mod
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from threadline.audit.models import AccessEvent, LedgerHead
from threadline.context import current_request

GENESIS = "0" * 64


class LedgerOutsideTransaction(RuntimeError):
    pass


def ledger_keys() -> list[tuple[str, bytes]]:
    """``AUDIT_LEDGER_KEY``: one key, or several with ids (``l2:<new>,l1:<old>``), the first current.
    New rows are sealed with the current key; verification accepts any key listed, so a key is
    replaced by putting the new one first and running ``manage.py rotate_ledger_key`` (which seals the
    point of change in the chain and in the anchors), and the old one is removed once it is no longer
    needed to verify the rows it sealed."""
    from threadline.crypto.checks import split_key_ids

    spec = settings.AUDIT_LEDGER_KEY
    if not spec:
        raise ImproperlyConfigured("AUDIT_LEDGER_KEY is not set")
    keys = [(key_id, value.encode()) for key_id, value in split_key_ids(spec)]
    if not keys:
        raise ImproperlyConfigured("AUDIT_LEDGER_KEY is empty")
    for _key_id, value in keys:
        if value == settings.SECRET_KEY.encode():
            raise ImproperlyConfigured("AUDIT_LEDGER_KEY must differ from SECRET_KEY")
    return keys


def current_key() -> tuple[str, bytes]:
    return ledger_keys()[0]


def _key() -> bytes:
    return current_key()[1]


def _canonical(event: AccessEvent) -> bytes:
    payload = [
        event.seq,
        event.at.isoformat(timespec="microseconds"),
        event.actor_id,
        event.organization_id,
        event.action,
        event.object_type,
        event.object_id,
        event.youth_id,
        event.category,
        event.purpose,
        event.request_id,
        event.ip,
        event.prev_hmac,
    ]
    return json.dumps(payload, separators=(",", ":"), default=str).encode()


def compute_hmac(event: AccessEvent, key: bytes | None = None) -> str:
    return hmac_mod.new(key or _key(), _canonical(event), hashlib.sha256).hexdigest()


def _sealed(event: AccessEvent, keys: list[tuple[str, bytes]]) -> bool:
    return any(hmac_mod.compare_digest(event.hmac, compute_hmac(event, key)) for _id, key in keys)


class Row(TypedDict, total=False):
    """What one ledger row says, besides who acted: the keyword arguments of :func:`record_by`."""

    action: Required[str]
    object_type: Required[str]
    object_id: Any
    youth_id: Any
    category: str
    purpose: str


def record(*, actor: Any, organization: Any, **row: Unpack[Row]) -> AccessEvent:
    """Append one row. Call inside ``transaction.atomic()`` with the work it records."""
    if not connection.in_atomic_block:
        raise LedgerOutsideTransaction("ledger.record must run inside the transaction it records")
    return record_many([{"actor": actor, "organization": organization, **row}])[0]


def record_by(membership: Any, **row: Unpack[Row]) -> AccessEvent:
    """:func:`record` for the person acting: the membership gives the person and their organization."""
    return record(actor=membership.user, organization=membership.organization, **row)


def entry(
    membership: Any,
    action: str,
    object_type: str,
    object_id: Any,
    purpose: str,
    *,
    category: str = "",
    youth_id: Any = None,
) -> AccessEvent:
    """:func:`record_by` said in one line: what the person acting did to which row, and why."""
    return record_by(
        membership,
        action=action,
        object_type=object_type,
        object_id=object_id,
        youth_id=youth_id,
        category=category,
        purpose=purpose,
    )


def record_many_by(membership: Any, rows: Iterable[Row]) -> list[AccessEvent]:
    """:func:`record_many` for the person acting: every row by the membership's person and organization
    (e.g. one row per youth a list shows)."""
    return record_many(
        [{"actor": membership.user, "organization": membership.organization, **row} for row in rows]
    )


def youths_shown(
    membership: Any, youth_ids: Iterable[Any], *, action: str, category: str, purpose: str
) -> list[AccessEvent]:
    """One row per youth a page lists (``object_type`` youth), in one INSERT: :func:`record_many_by`."""
    return record_many_by(
        membership,
        [
            Row(
                action=action,
                object_type="youth",
                object_id=pk,
                youth_id=pk,
                category=category,
                purpose=purpose,
            )
            for pk in youth_ids
        ],
    )


def record_many(entries: Iterable[Mapping[str, Any]]) -> list[AccessEvent]:
    """Append several rows under one lock and one INSERT (e.g. every youth shown in a search result).
    Each entry takes the keyword arguments of :func:`record`. Same chain, same guarantees."""
    entries = list(entries)
    if not entries:
        return []
    if not connection.in_atomic_block:
        raise LedgerOutsideTransaction("ledger.record_many must run inside the transaction it records")
    facts = current_request()
    seq, prev = _lock_head()
    now = timezone.now()
    events: list[AccessEvent] = []
    for entry in entries:
        seq += 1
        youth_id = entry.get("youth_id")
        event = AccessEvent(
            seq=seq,
            at=now,
            actor_id=getattr(entry.get("actor"), "pk", None),
            organization_id=getattr(entry.get("organization"), "pk", None),
            action=str(entry["action"])[:40],
            object_type=str(entry["object_type"])[:40],
            object_id=str(entry.get("object_id") or "")[:64],
            youth_id=uuid.UUID(str(youth_id)) if youth_id is not None else None,
            category=str(entry.get("category", ""))[:200],
            purpose=str(entry.get("purpose", ""))[:200],
            request_id=facts.request_id if facts else "",
            ip=facts.ip if facts else None,
            prev_hmac=prev,
        )
        event.hmac = compute_hmac(event)
        prev = event.hmac
        events.append(event)
    _append(events, seq, prev)
    return events


_HEAD = f'"{LedgerHead._meta.db_table}"'
_EVENTS = f'"{AccessEvent._meta.db_table}"'
# Every column of a ledger row but its id (the database's), in the model's order.
_FIELDS = [f for f in AccessEvent._meta.concrete_fields if not f.primary_key]
_COLUMNS = ", ".join(f'"{f.column}"' for f in _FIELDS)
_ONE_STATEMENT_ROWS = 2000  # rows appended in one statement on PostgreSQL (its 65,535 parameters)


def _lock_head() -> tuple[int, str]:
    """The chain's last sequence number and HMAC, the head's row locked until the transaction ends
    (so writers take turns). Made on the very first write, as ``get_or_create`` would."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hmac FROM {_HEAD} WHERE id = 1{lock}")  # noqa: S608 (the table's name)
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
    return head.seq, head.hmac


def _append(events: list[AccessEvent], seq: int, last_hmac: str) -> None:
    """Insert the rows and move the head to the last of them. On PostgreSQL in one statement (the
    insert as a data-modifying CTE of the head's update): one round trip instead of two, with the
    head still locked by ``_lock_head``. Elsewhere, or for very long lists, two statements."""
    if connection.vendor != "postgresql" or len(events) > _ONE_STATEMENT_ROWS:
        AccessEvent.objects.bulk_create(events)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {_HEAD} SET seq = %s, hmac = %s WHERE id = 1", [seq, last_hmac])  # noqa: S608
        return
    one = "(" + ", ".join(["%s"] * len(_FIELDS)) + ")"
    params: list[Any] = [f.get_db_prep_save(f.pre_save(e, True), connection) for e in events for f in _FIELDS]
    sql = (
        f"WITH appended AS (INSERT INTO {_EVENTS} ({_COLUMNS}) VALUES {', '.join([one] * len(events))} "  # noqa: S608
        f"RETURNING id, seq) UPDATE {_HEAD} SET seq = %s, hmac = %s WHERE id = 1 "
        "RETURNING (SELECT array_agg(id ORDER BY seq) FROM appended)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, seq, last_hmac])
        row = cursor.fetchone()
    assert row is not None, "the ledger head is locked by this transaction: it is there"
    for event, pk in zip(events, row[0], strict=True):
        event.pk = pk
        event._state.adding = False
        event._state.db = connection.alias


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def _rows() -> Iterator[AccessEvent]:
    return AccessEvent.objects.order_by("id").iterator(chunk_size=2000)


def verify(anchor_file: Path | None = None) -> VerifyResult:
    """Walk the chain in insertion order. Names the first row that was altered, deleted or reordered;
    then checks every anchor kept outside the database (``anchors``): a row an anchor saw must still be
    there with the same HMAC, so rows cut off the end are found even when the head was rewound."""
    from threadline.audit.anchors import anchors_read

    keys = ledger_keys()
    anchored = anchors_read(anchor_file)
    wanted = {a.seq: a for a in anchored.anchors}
    seen: dict[int, str] = {}
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for event in _rows():
        count += 1
        if event.seq != expected_seq:
            kind = "missing (deleted)" if event.seq > expected_seq else "out of order"
            return VerifyResult(False, count, expected_seq, f"row #{expected_seq} {kind}")
        if event.prev_hmac != expected_prev:
            return VerifyResult(
                False, count, event.seq, f"row #{event.seq} does not follow the row before it"
            )
        if not _sealed(event, keys):
            return VerifyResult(False, count, event.seq, f"row #{event.seq} was altered")
        if event.seq in wanted:
            seen[event.seq] = event.hmac
        expected_prev = event.hmac
        expected_seq += 1
    last = expected_seq - 1
    head = LedgerHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last or head.hmac != expected_prev):
        return VerifyResult(False, count, expected_seq, f"rows after #{last} are missing")
    if anchored.bad_lines:
        lines = ", ".join(str(n) for n in anchored.bad_lines[:5])
        return VerifyResult(False, count, None, f"anchor file has lines that are not valid anchors: {lines}")
    for anchor in sorted(anchored.anchors, key=lambda a: a.seq):
        if anchor.seq > last:
            return VerifyResult(
                False,
                count,
                last + 1,
                f"rows #{last + 1} to #{anchor.seq} are missing: the anchor of {anchor.at} saw row "
                f"#{anchor.seq}, the ledger ends at #{last}",
            )
        if anchor.seq > 0 and seen.get(anchor.seq) != anchor.hmac:
            return VerifyResult(
                False, count, anchor.seq, f"row #{anchor.seq} differs from the anchor of {anchor.at}"
            )
    return VerifyResult(True, count)


def verify_and_store(anchor_file: Path | None = None) -> VerifyResult:
    from threadline.audit.models import LedgerCheck

    result = verify(anchor_file)
    with transaction.atomic():
        LedgerCheck.objects.create(
            ok=result.ok,
            rows_checked=result.rows_checked,
            first_bad_seq=result.first_bad_seq,
            problem=result.problem,
        )
    return result
