"""The access ledger is on the hot path of every youth read: how long does one append take, and how
long does verifying the whole chain take per row?"""

from __future__ import annotations

import time
import uuid

from benchlib import Row, measure
from django.db import transaction

from threadline.audit import ledger


def run() -> list[Row]:
    def append(i: int) -> None:
        with transaction.atomic():
            ledger.record(
                actor=None,
                organization=None,
                action="view",
                object_type="youth",
                object_id=i,
                youth_id=uuid.uuid4(),
                category="identity",
                purpose="bench",
            )

    rows = [measure("ledger", "append one row (own transaction)", append, repeats=500)]
    for i in range(5000):
        append(i)
    started = time.perf_counter()
    result = ledger.verify()
    elapsed = (time.perf_counter() - started) * 1000
    per_row = elapsed / max(1, result.rows_checked)
    rows.append(
        Row(
            "ledger",
            f"verify chain ({result.rows_checked} rows)",
            1,
            elapsed,
            elapsed,
            note=f"{per_row * 1000:.1f} µs/row, ok={result.ok}",
        )
    )
    return rows
