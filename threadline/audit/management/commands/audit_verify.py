from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from threadline.audit.ledger import verify_and_store


class Command(BaseCommand):
    help = "Verify the access ledger's hash chain; exit non-zero naming the first bad row."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_and_store()
        if not result.ok:
            raise CommandError(f"ledger verification FAILED at row #{result.first_bad_seq}: {result.problem}")
        self.stdout.write(f"ledger ok: {result.rows_checked} rows verified")
