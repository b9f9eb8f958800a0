"""Build the matcher's index (blocking keys and encrypted profiles) for every youth: once after the
migration that adds it, and after changing BLIND_INDEX_KEY. Youth writes keep it current after that."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from threadline.matching.index import youth_index_update
from threadline.youth.policy import youth_for_maintenance


class Command(BaseCommand):
    help = "Rebuild the matcher's blind-index keys and profiles for every youth."

    def handle(self, *args: Any, **options: Any) -> None:
        done = 0
        ids = list(youth_for_maintenance().values_list("pk", flat=True))
        for start in range(0, len(ids), 200):
            with transaction.atomic():
                for youth in (
                    youth_for_maintenance().filter(pk__in=ids[start : start + 200]).select_related("data_key")
                ):
                    youth_index_update(youth)
                    done += 1
        self.stdout.write(f"indexed {done} youths")
