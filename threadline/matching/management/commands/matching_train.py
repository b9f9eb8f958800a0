"""Train the matcher on the program's own records now (it also runs nightly and after
``matching_reindex``): a new model version when the weights changed, else nothing new."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from threadline.matching.training import MIN_RECORDS
from threadline.matching.training_services import matcher_model_train


class Command(BaseCommand):
    help = "Train the matcher's weights on the indexed youths (the priors stay for a new program)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--min-records",
            type=int,
            default=None,
            help=f"below this many indexed youths the priors stay (default {MIN_RECORDS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        row = matcher_model_train(min_records=options["min_records"])
        if row is None:
            self.stdout.write("too few indexed youths: the matcher keeps its priors")
        else:
            self.stdout.write(f"matcher model version {row.version}: {row.sampled} of {row.records} youths")
