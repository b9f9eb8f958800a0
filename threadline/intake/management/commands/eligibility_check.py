"""Check eligibility from the command line, for operators and scripted checks. Prints JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.intake.choices import Connection
from threadline.intake.eligibility import EligibilityInputError, Question, decide, program_by_slug


class Command(BaseCommand):
    help = (
        "Decide eligibility under a program's current rules and print it as JSON "
        "(decision: eligible, not_eligible or needs_review; reason; rule_version)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="program slug, e.g. demo-five-county")
        parser.add_argument("--county", default="", help="county name, with or without 'County'")
        parser.add_argument("--zip", default="", help="ZIP code, instead of a county")
        parser.add_argument("--state", default="", help="two-letter state (default: the program's)")
        parser.add_argument("--age", type=int, default=None, help="age in completed years; omit if unknown")
        parser.add_argument("--connection", choices=Connection.values, default=None)
        parser.add_argument(
            "--entered-before-18",
            action="store_true",
            default=None,
            help="the youth entered services before 18 (omit when not known)",
        )
        parser.add_argument(
            "--not-entered-before-18",
            dest="entered_before_18",
            action="store_false",
            help="the youth did not enter services before 18",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        program = program_by_slug(options["program"])
        if program is None:
            raise CommandError(f"no program with slug {options['program']!r}")
        question = Question(
            county=options["county"] or None,
            zip_code=options["zip"] or None,
            state=options["state"] or None,
            age=options["age"],
            connection=options["connection"],
            entered_before_18=options["entered_before_18"],
        )
        try:
            decision = decide(program, question)
        except EligibilityInputError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(json.dumps(decision.as_dict(), ensure_ascii=False, indent=2))
