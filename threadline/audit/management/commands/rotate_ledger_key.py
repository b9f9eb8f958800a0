from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from threadline.audit import ledger
from threadline.audit.anchors import anchor_write


class Command(BaseCommand):
    help = (
        "After putting a new key FIRST in AUDIT_LEDGER_KEY (l2:<new>,l1:<old>): seal the point of change. "
        "Appends a row sealed with the new key that chains onto the last row sealed with the old one, "
        "then anchors the head outside the database. Rows before it keep verifying while the old key is "
        "listed; once it is removed, the anchors vouch for them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        key_id, _key = ledger.current_key()
        with transaction.atomic():
            row = ledger.record(
                actor=None,
                organization=None,
                action="ledger_key_rotated",
                object_type="ledger",
                object_id=key_id,
                purpose=f"rows from here on are sealed with key {key_id or '-'}",
            )
        anchor = anchor_write()
        self.stdout.write(
            f"ledger sealed with key {key_id or '-'} from row #{row.seq}; anchored #{anchor.seq}"
        )
