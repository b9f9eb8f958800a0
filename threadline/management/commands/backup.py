"""``manage.py backup [PATH]``: a consistent copy of the whole database while the app runs, plus a
manifest of row counts and checksums per table (``PATH.manifest.json``) to check a restore against."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from threadline.management.backup import backup_to, table_checksums


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup API, or pg_dump on PostgreSQL) with a checksum manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="where to write the backup (default: var/backups/<time>)")
        parser.add_argument("--no-manifest", action="store_true", help="skip the per-table checksums")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = Path(options["path"] or Path(settings.VAR_DIR) / "backups" / f"threadline-{stamp}.backup")
        manifest = None if options["no_manifest"] else table_checksums()
        method = backup_to(path)
        if manifest is not None:
            manifest_path = path.with_name(path.name + ".manifest.json")
            manifest_path.write_text(
                json.dumps(
                    {"taken_at": stamp, "method": method, "tables": manifest}, indent=1, sort_keys=True
                )
            )
            os.chmod(manifest_path, 0o600)
        self.stdout.write(f"backup written to {path} ({method}, {path.stat().st_size} bytes)")
