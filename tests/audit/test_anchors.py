"""Issue 9, item 7: the newest ledger rows deleted and the head rewound in the same database went
unseen. Anchors outside the database (an append-only file) make ``audit_verify`` fail, naming the gap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from tests.audit.test_ledger import raw, write_rows
from threadline.audit import ledger
from threadline.audit.anchors import anchor_write, anchors_read
from threadline.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchor_file(settings: Settings, tmp_path: Path) -> Path:
    path = tmp_path / "anchors" / "ledger-anchors.jsonl"
    settings.AUDIT_ANCHOR_PATH = str(path)
    return path


def test_rows_cut_off_the_end_with_the_head_rewound_are_named(anchor_file: Path) -> None:
    rows = write_rows(3)
    anchor_write()
    rows += write_rows(3)
    anchor_write()
    assert ledger.verify().ok
    call_command("audit_verify")

    # The attacker deletes rows 4-6 and rewinds the head to row 3: the database alone agrees.
    raw("DELETE FROM audit_accessevent WHERE seq > %s", [3])
    raw("UPDATE audit_ledgerhead SET seq = %s, hmac = %s WHERE id = 1", [3, rows[2].hmac])
    assert AccessEvent.objects.count() == 3
    result = ledger.verify(Path("/nonexistent/anchors.jsonl"))
    assert result.ok  # without anchors, the cut is invisible: this was the hole

    result = ledger.verify()
    assert not result.ok
    assert result.first_bad_seq == 4
    assert result.problem.startswith("rows #4 to #6 are missing: the anchor of ")
    with pytest.raises(CommandError, match="rows #4 to #6 are missing"):
        call_command("audit_verify")


def test_anchors_are_appended_signed_and_a_forged_line_is_refused(anchor_file: Path) -> None:
    write_rows(2)
    first = anchor_write()
    write_rows(1)
    second = anchor_write()
    lines = anchor_file.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [2, 3]
    assert [a.seq for a in anchors_read().anchors] == [first.seq, second.seq]
    forged = {**json.loads(lines[-1]), "seq": 1}
    with anchor_file.open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
    result = ledger.verify()
    assert not result.ok and result.problem == "anchor file has lines that are not valid anchors: 3"


def test_a_row_rewritten_under_an_anchor_is_named(anchor_file: Path) -> None:
    rows = write_rows(3)
    anchor_write()
    # Rewrite the anchored row and re-chain nothing: the chain check names it first.
    raw("UPDATE audit_accessevent SET hmac = %s WHERE id = %s", ["0" * 64, rows[2].pk])
    raw("UPDATE audit_ledgerhead SET hmac = %s WHERE id = 1", ["0" * 64])
    assert ledger.verify().first_bad_seq == 3


def test_the_anchor_job_is_scheduled() -> None:
    from datetime import datetime

    from huey.contrib.djhuey import HUEY

    from threadline.audit.tasks import ledger_anchor

    assert "ledger_anchor" in {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert ledger_anchor.task_class().validate_datetime(datetime(2026, 3, 1, 2, 15))
    assert not ledger_anchor.task_class().validate_datetime(datetime(2026, 3, 1, 2, 16))


def test_the_ledger_key_is_replaced_from_a_point(settings: Settings, anchor_file: Path) -> None:
    """Issue 19 V11: keys carry ids and can be replaced. Old rows keep verifying under the old key while
    it is listed; rows from the rotation on are sealed with the new one."""
    old = settings.AUDIT_LEDGER_KEY
    write_rows(2)
    settings.AUDIT_LEDGER_KEY = f"l2:new-ledger-key-0123456789abcdefXYZ,{old}"
    call_command("rotate_ledger_key")
    write_rows(2)
    rotated = AccessEvent.objects.get(action="ledger_key_rotated")
    assert (rotated.seq, rotated.object_id) == (3, "l2")
    assert ledger.verify().ok
    # A row sealed with the new key does not verify under the old key alone.
    settings.AUDIT_LEDGER_KEY = old
    assert ledger.verify().first_bad_seq == 3
