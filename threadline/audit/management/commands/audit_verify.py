from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.audit.ledger import verify_and_store


class Command(BaseCommand):
    help = (
        "Verify the access ledger's hash chain and the anchors kept outside the database; exit non-zero "
        "naming the first bad row or the rows that are gone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchors", help="anchor file to check against (default: AUDIT_ANCHOR_PATH)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_and_store(Path(options["anchors"]) if options.get("anchors") else None)
        if not result.ok:
            where = f" at row #{result.first_bad_seq}" if result.first_bad_seq is not None else ""
            raise CommandError(f"ledger verification FAILED{where}: {result.problem}")
        self.stdout.write(f"ledger ok: {result.rows_checked} rows verified")
