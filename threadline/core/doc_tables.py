"""Tables generated into a document under ``docs/``: the text between two marker lines is rewritten
from code, so that the document cannot drift from it (a test compares them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def with_generated(text: str, *, start: str, end: str, table: str) -> str:
    """``text`` with ``table`` between its ``start`` and ``end`` markers."""
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return head + start + table + end + tail


class DocTableCommand(BaseCommand):
    """Print the generated table (``table()``), or ``--write`` it into ``doc`` between the ``start`` and
    ``end`` markers."""

    doc: Path
    start: str
    end: str
    table: Callable[[], str]

    @classmethod
    def with_table(cls, text: str) -> str:
        """The document's ``text`` with the table as generated now (the same text when it is current)."""
        return with_generated(text, start=cls.start, end=cls.end, table=cls.table())

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help=f"update the table in {self.doc}")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["write"]:
            self.doc.write_text(self.with_table(self.doc.read_text(encoding="utf-8")), encoding="utf-8")
            self.stdout.write(f"updated {self.doc}")
        else:
            self.stdout.write(self.table())
