"""The access ledger: append-only, hash-chained, verifiable; tampering is found and named."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from pytest_django import Settings

from tests.conftest import Persona
from threadline.accounts.models import User
from threadline.audit import ledger
from threadline.audit.append_only import sqlite_create, sqlite_drop
from threadline.audit.models import AccessEvent, LedgerCheck

pytestmark = pytest.mark.django_db


def write_rows(n: int, actor: User | None = None) -> list[AccessEvent]:
    rows = []
    for i in range(n):
        with transaction.atomic():
            rows.append(
                ledger.record(
                    actor=actor,
                    organization=None,
                    action="view",
                    object_type="youth",
                    object_id=i,
                    youth_id=uuid.uuid4(),
                    category="identity",
                    purpose="test",
                )
            )
    return rows


def raw(sql: str, params: list[str | int]) -> None:
    """Tamper the way an attacker with full database access would, below the ORM. The append-only
    triggers must be bypassed first: on PostgreSQL that takes a superuser, on SQLite write access to
    the file (dropping the triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            sqlite_drop(cursor)
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            sqlite_create(cursor)


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction() -> None:
    with pytest.raises(ledger.LedgerOutsideTransaction):
        ledger.record(actor=None, organization=None, action="view", object_type="youth")
    assert AccessEvent.objects.count() == 0


def test_rows_roll_back_with_the_work_they_record() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.record(actor=None, organization=None, action="view", object_type="youth")
        raise RuntimeError("the read failed")
    assert AccessEvent.objects.count() == 0
    assert ledger.verify().ok


def test_intact_chain_verifies(coordinator: Persona) -> None:
    write_rows(5, actor=coordinator.user)
    result = ledger.verify()
    assert result.ok and result.rows_checked == 5
    call_command("audit_verify")


def test_altered_row_is_named() -> None:
    rows = write_rows(5)
    raw("UPDATE audit_accessevent SET purpose = %s WHERE id = %s", ["nothing to see", rows[2].pk])
    result = ledger.verify()
    assert not result.ok and result.first_bad_seq == 3 and "altered" in result.problem
    with pytest.raises(CommandError, match="#3"):
        call_command("audit_verify")


def test_deleted_row_is_named() -> None:
    rows = write_rows(5)
    raw("DELETE FROM audit_accessevent WHERE id = %s", [rows[1].pk])
    result = ledger.verify()
    assert not result.ok and result.first_bad_seq == 2


def test_deleted_last_row_is_found() -> None:
    rows = write_rows(4)
    raw("DELETE FROM audit_accessevent WHERE id = %s", [rows[-1].pk])
    result = ledger.verify()
    assert not result.ok and result.first_bad_seq == 4


def test_reordered_rows_are_found() -> None:
    rows = write_rows(4)
    # Swap the contents of rows 2 and 3 (sequence, chain and all): each row is still self-consistent.
    a, b = rows[1], rows[2]
    raw("UPDATE audit_accessevent SET seq = %s WHERE id = %s", [-1, a.pk])
    raw(
        "UPDATE audit_accessevent SET seq = %s, prev_hmac = %s, hmac = %s WHERE id = %s",
        [a.seq, a.prev_hmac, a.hmac, b.pk],
    )
    raw(
        "UPDATE audit_accessevent SET seq = %s, prev_hmac = %s, hmac = %s WHERE id = %s",
        [b.seq, b.prev_hmac, b.hmac, a.pk],
    )
    result = ledger.verify()
    assert not result.ok and result.first_bad_seq == 2


def test_forged_row_without_the_key_is_found(settings: Settings) -> None:
    write_rows(3)
    settings.AUDIT_LEDGER_KEY = "an attacker's guess at the key"
    with transaction.atomic():
        ledger.record(actor=None, organization=None, action="view", object_type="youth")
    settings.AUDIT_LEDGER_KEY = "test-ledger-key-0123456789abcdef"
    result = ledger.verify()
    assert not result.ok and result.first_bad_seq == 4


def test_the_database_refuses_update_and_delete() -> None:
    """PostgreSQL (trigger function) and SQLite (triggers, issue 19 V16) alike."""
    rows = write_rows(2)
    for sql in (
        "UPDATE audit_accessevent SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_accessevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [rows[0].pk])
    assert AccessEvent.objects.get(pk=rows[0].pk).purpose == "test"
    assert AccessEvent.objects.count() == 2


def test_nightly_job_is_scheduled_and_stores_its_result() -> None:
    from datetime import datetime

    from huey.contrib.djhuey import HUEY

    from threadline.audit.tasks import nightly_ledger_verify

    periodic = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert "nightly_ledger_verify" in periodic
    assert nightly_ledger_verify.task_class().validate_datetime(datetime(2026, 3, 1, 2, 15))
    assert not nightly_ledger_verify.task_class().validate_datetime(datetime(2026, 3, 1, 14, 15))
    write_rows(2)
    assert nightly_ledger_verify.call_local() is True
    check = LedgerCheck.objects.get()
    assert check.ok and check.rows_checked == 2


def test_batched_rows_chain_like_single_ones() -> None:
    write_rows(2)
    with transaction.atomic():
        rows = ledger.record_many(
            [
                {
                    "actor": None,
                    "organization": None,
                    "action": "search",
                    "object_type": "youth",
                    "youth_id": uuid.uuid4(),
                    "category": "identity",
                }
                for _ in range(5)
            ]
        )
    assert [r.seq for r in rows] == [3, 4, 5, 6, 7]
    write_rows(1)
    assert ledger.verify().ok and ledger.verify().rows_checked == 8
    raw("UPDATE audit_accessevent SET category = %s WHERE id = %s", ["record", rows[2].pk])
    assert ledger.verify().first_bad_seq == 5


def test_rows_are_appended_in_two_statements_on_postgresql_and_keep_their_ids() -> None:
    """Lock the head, then insert and move the head in one statement (PostgreSQL); elsewhere the insert
    and the head's update are two. The rows returned carry the ids the database gave them."""
    from django.test.utils import CaptureQueriesContext

    write_rows(1)  # the head exists
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows = ledger.record_many(
            [{"actor": None, "organization": None, "action": "search", "object_type": "youth"}] * 3
        )
    statements = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(statements) == (2 if connection.vendor == "postgresql" else 3)
    stored = dict(AccessEvent.objects.filter(seq__in=[2, 3, 4]).values_list("seq", "pk"))
    assert [(r.seq, r.pk) for r in rows] == sorted(stored.items())
    assert ledger.verify().ok and ledger.verify().rows_checked == 4
