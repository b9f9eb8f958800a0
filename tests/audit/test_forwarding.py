"""Issue 19 (V16.4.3): ledger rows are forwarded off the host, each once, in order, as JSON lines that
carry the chain's HMACs and no identifying data."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from tests.audit.test_ledger import write_rows
from threadline.accounts.security_log import JSONFormatter
from threadline.audit.forwarding import forward_new_rows
from threadline.audit.models import LedgerForwardCursor

pytestmark = pytest.mark.django_db

KEYS = {
    "event", "seq", "at", "actor_id", "organization_id", "action", "object_type", "object_id", "youth_id",
    "category", "purpose", "request_id", "ip", "prev_hmac", "hmac", "time", "level", "logger",
}  # fmt: skip


@pytest.fixture
def forward_file(settings: Settings, tmp_path: Path) -> Iterator[Path]:
    """The handler settings would build from LEDGER_FORWARD_FILE at start-up, attached for this test."""
    path = tmp_path / "ledger.jsonl"
    settings.LEDGER_FORWARD_FILE = str(path)
    handler = logging.FileHandler(path)
    handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("threadline.ledger")
    logger.addHandler(handler)
    try:
        yield path
    finally:
        logger.removeHandler(handler)
        handler.close()


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_each_row_goes_once_in_order_with_its_hmac(forward_file: Path) -> None:
    rows = write_rows(3)
    assert forward_new_rows() == 3
    assert forward_new_rows() == 0
    rows += write_rows(2)
    assert forward_new_rows(batch=1) == 2

    sent = lines(forward_file)
    assert [line["seq"] for line in sent] == [1, 2, 3, 4, 5]
    assert [line["hmac"] for line in sent] == [row.hmac for row in rows]
    assert [line["prev_hmac"] for line in sent[1:]] == [row.hmac for row in rows[:-1]]
    assert all(set(line) == KEYS for line in sent)
    assert sent[0]["youth_id"] == str(rows[0].youth_id)
    assert LedgerForwardCursor.objects.get().seq == 5


def test_nothing_is_consumed_until_a_destination_is_configured(settings: Settings, tmp_path: Path) -> None:
    settings.LEDGER_FORWARD_FILE = ""
    settings.SYSLOG_ADDRESS = ""
    write_rows(2)
    assert forward_new_rows() == 0
    assert not LedgerForwardCursor.objects.exists()
