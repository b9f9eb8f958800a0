"""Write the de-identified funder report (PDF and XLSX) for a period into a directory.

    python manage.py funder_report --from 2025-10-01 --to 2026-09-30 --out /tmp/report

The report is the one the web page downloads: small cells suppressed with complements, the
differencing guard against earlier reports, ledgered with its purpose (the actor is the command line).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from threadline.accounts.models import Organization
from threadline.outcomes import services
from threadline.outcomes.measures.facts import Period


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Write the de-identified funder report (PDF and XLSX) for a period into a directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="directory to write into (created if missing)")
        parser.add_argument(
            "--organization",
            default="",
            help="the Care Coordinator organization (needed if there are several)",
        )
        parser.add_argument("--purpose", default="funder report from the command line")
        parser.add_argument("--format", action="append", choices=["pdf", "xlsx"], dest="formats")
        parser.add_argument("--language", default="en", choices=["en", "es"])

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to is before --from")
        coordinators = Organization.objects.filter(is_care_coordinator=True, is_active=True)
        if options["organization"]:
            coordinators = coordinators.filter(name=options["organization"])
        found = list(coordinators[:2])
        if len(found) != 1:
            raise CommandError(
                "name the Care Coordinator organization with --organization"
                if found
                else "no such Care Coordinator organization"
            )
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        with translation.override(options["language"]):
            try:
                files = services.organization_report_files(
                    organization=found[0],
                    actor=None,
                    period=Period(start, end),
                    formats=tuple(options["formats"] or ("pdf", "xlsx")),
                    purpose=options["purpose"],
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        for file in files:
            path = out / file.name
            path.write_bytes(file.content)
            self.stdout.write(f"{path} ({len(file.content):,} bytes)")
