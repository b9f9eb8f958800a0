from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.directory.hsds.importer import ImportFailed, import_path


class Command(BaseCommand):
    help = (
        "Import Open Referral HSDS 3.1 data: JSON files (objects, lists, pages, nested, tabular) or a CSV "
        "data package. Idempotent by id; all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a JSON file, a datapackage.json, or a folder of either")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_path(Path(options["path"]))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {options['path']}: {exc}") from exc
        except ImportFailed as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(str(exc)) from exc
        for name in sorted(set(result.created) | set(result.updated)):
            self.stdout.write(
                f"{name}: {result.created.get(name, 0)} created, {result.updated.get(name, 0)} updated"
            )
        self.stdout.write(f"imported {result.total} object(s)")
