from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from threadline.audit.anchors import anchor_path, anchor_write


class Command(BaseCommand):
    help = (
        "Append the access ledger's head (sequence and HMAC) to the anchor file outside the database "
        "(AUDIT_ANCHOR_PATH, opened append-only) and e-mail it to AUDIT_ANCHOR_EMAILS if set."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = anchor_write()
        self.stdout.write(
            f"anchored ledger head #{anchor.seq} (key {anchor.key_id or '-'}) in {anchor_path()}"
        )
