from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from threadline.demo import loaders


class Command(BaseCommand):
    help = "Load fictional demo data (idempotent: running it twice changes nothing). Needs DEMO_MODE=1."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo data is loaded only with DEMO_MODE=1 (never in production)")
        for _order, label, load in loaders():

            def log(line: str, label: str = label) -> None:
                self.stdout.write(f"[{label}] {line}")

            load(log)
        self.stdout.write("demo data ready")
