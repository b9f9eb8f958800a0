"""Validate an instrument file and store it as a new instrument version.

python manage.py instrument_load PATH --licence-attestation "Cedar Hollow CAC holds licence #... until ..."
python manage.py instrument_load threadline/care/instruments/data/demo_wellbeing.yaml
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.accounts.models import User
from threadline.care.instruments import InstrumentInvalid, load_file
from threadline.care.services.instruments import instrument_load


class Command(BaseCommand):
    help = "Validate a screening instrument file (YAML or JSON) and load it as a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--licence-attestation",
            default="",
            help="Who holds the licence to use this instrument, and its terms (required except for demos).",
        )
        parser.add_argument("--by", default="", help="E-mail of the person loading it (recorded).")
        parser.add_argument(
            "--inactive", action="store_true", help="Store it without offering it for new screenings."
        )
        parser.add_argument("--check", action="store_true", help="Only validate; store nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            definition = load_file(options["path"])
        except InstrumentInvalid as exc:
            raise CommandError(str(exc)) from exc
        name = f"{definition['id']} {definition['version']}"
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(f"{name}: valid"))
            return
        loaded_by = None
        if options["by"]:
            loaded_by = User.objects.filter(email=options["by"].strip().lower()).first()
            if loaded_by is None:
                raise CommandError(f"no person with the e-mail {options['by']!r}")
        try:
            result = instrument_load(
                definition=definition,
                licence_attestation=options["licence_attestation"],
                loaded_by=loaded_by,
                activate=not options["inactive"],
                source=options["path"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if result.created:
            state = "active" if result.instrument.is_active else "inactive"
            self.stdout.write(self.style.SUCCESS(f"loaded {name} ({state})"))
        else:
            self.stdout.write(f"{name} is already loaded with the same content; nothing changed")
