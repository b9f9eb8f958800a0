"""``manage.py restore PATH --yes``: replace the database's contents with a backup made by ``backup``,
then compare every table with the backup's manifest (row counts and checksums). Stop the app and the
worker first. Exits non-zero if any table differs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.management.backup import restore_from, table_checksums


class Command(BaseCommand):
    help = "Restore the database from a backup and verify it against the backup's manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="confirm: the current contents are replaced")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("restore replaces the whole database: add --yes to confirm")
        path = Path(options["path"])
        method = restore_from(path)
        manifest_path = path.with_name(path.name + ".manifest.json")
        if not manifest_path.exists():
            self.stdout.write(f"restored from {path} ({method}); no manifest to verify against")
            return
        expected = {t: tuple(v) for t, v in json.loads(manifest_path.read_text())["tables"].items()}
        restored = table_checksums()
        differing = [t for t, v in restored.items() if expected.get(t) != v]
        differing += [t for t in expected if t not in restored]
        if differing:
            raise CommandError(
                f"restored, but these tables differ from the manifest: {', '.join(sorted(differing))}"
            )
        self.stdout.write(f"restored from {path} ({method}); {len(expected)} tables match the manifest")
