from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from threadline.youth.gender import gender_group
from threadline.youth.policy import youth_for_maintenance


class Command(BaseCommand):
    help = (
        "Group the gender words of every youth not grouped yet (rows written before the column or by a "
        "bulk loader), in batches, so de-identified counts need not open them. Prints a count only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, options["batch"])
        done = 0
        while True:
            with transaction.atomic():
                youths = list(
                    youth_for_maintenance()
                    .filter(gender_group__isnull=True)
                    .select_related("data_key")
                    .only("id", "gender_identity", "gender_group", "data_key")
                    .order_by("pk")[:batch]
                )
                for youth in youths:
                    youth.gender_group = gender_group(str(youth.gender_identity or ""))
                youth_for_maintenance().bulk_update(youths, ["gender_group"])
            done += len(youths)
            if len(youths) < batch:
                break
        self.stdout.write(f"{done} youths grouped")
