"""Build the matcher's index (blocking keys and encrypted profiles) for every youth: once after the
migration that adds it, and after changing BLIND_INDEX_KEY. Youth writes keep it current after that.
The whole index is replaced in one transaction (``bulk.index_rebuild``): matching waits for it. The
matcher's training is then enqueued (``tasks.matcher_train_task``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand

from threadline.matching.bulk import Batch, default_workers, index_rebuild
from threadline.matching.index import profile_of
from threadline.matching.selectors import merged_ids
from threadline.youth.policy import youth_for_maintenance

BATCH = 500


def _batches() -> Iterator[Batch]:
    ids = list(youth_for_maintenance().values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        merged = merged_ids(chunk)  # a merged record is found through its survivor only
        youths = (
            youth_for_maintenance()
            .filter(pk__in=[pk for pk in chunk if pk not in merged])
            .select_related("data_key")
            .prefetch_related("aliases", "contact_ways", "counties", "household")
        )
        yield [(youth, profile_of(youth)) for youth in youths]


class Command(BaseCommand):
    help = "Rebuild the matcher's blind-index keys and profiles for every youth."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="processes computing the rows on PostgreSQL (default: the cores, up to four; 1: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from threadline.matching.tasks import matcher_train_task

        done = index_rebuild(_batches(), workers=options["workers"])
        self.stdout.write(f"indexed {done} youths")
        matcher_train_task()  # the weights follow the rebuilt index (in the worker)
