from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from threadline.crypto.datakeys import rewrap_all
from threadline.crypto.keys import current_master_key_id


class Command(BaseCommand):
    help = (
        "Re-wrap every youth data key with the first key in MASTER_KEYS. Put the new key first, keep the "
        "old one after it, run this, then remove the old key once backups made with it have expired."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = rewrap_all()
        self.stdout.write(f"{done} data keys re-wrapped with master key {current_master_key_id()}")
