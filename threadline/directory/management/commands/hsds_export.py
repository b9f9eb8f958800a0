from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.directory.audience import scope_named
from threadline.directory.hsds.export import write


class Command(BaseCommand):
    help = (
        "Export the directory as HSDS 3.1: DIR/json/<type>.json and a CSV data package in DIR/csv/. "
        "--visibility public (default) publishes only vetted public listings, confidential addresses "
        "withheld; network adds partner-only listings; all is everything, for backups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir")
        parser.add_argument("--visibility", choices=["public", "network", "all"], default="public")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = write(Path(options["dir"]), scope_named(options["visibility"]))
        except OSError as exc:
            raise CommandError(f"cannot write the export to {options['dir']}: {exc.strerror}") from exc
        for name, count in counts.items():
            if count:
                self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"exported {sum(counts.values())} object(s) ({options['visibility']})")
