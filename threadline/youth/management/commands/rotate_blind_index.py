from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from threadline.crypto.keys import blind_index_keys
from threadline.youth.search_index import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Re-index every youth's search tokens under the first key in BLIND_INDEX_KEY (b2:<new>,b1:<old>), "
        "in batches; search accepts both keys meanwhile. Remove the old key afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        done = search_index_rebuild(batch=max(1, options["batch"]))
        key_id = blind_index_keys()[0][0] or "-"
        self.stdout.write(f"{done} youths re-indexed with blind-index key {key_id}")
