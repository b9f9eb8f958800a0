from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from threadline.accounts.mfa import reseal_all
from threadline.crypto.datakeys import rewrap_all
from threadline.crypto.keys import current_master_key_id
from threadline.youth.key_regeneration import regenerate_all


class Command(BaseCommand):
    help = (
        "Re-wrap every youth data key, and re-seal every MFA secret, with the first key in MASTER_KEYS. Put the new key first, keep the "
        "old one after it, run this, then remove the old key once backups made with it have expired."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--regenerate-data-keys",
            action="store_true",
            help="also give every youth a NEW data key and re-encrypt their fields under it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = rewrap_all()
        self.stdout.write(f"{done} data keys re-wrapped with master key {current_master_key_id()}")
        resealed = reseal_all()
        self.stdout.write(f"{resealed} second factors re-sealed with master key {current_master_key_id()}")
        if options["regenerate_data_keys"]:
            count = regenerate_all()
            self.stdout.write(f"{count} youths have a new data key; their fields were re-encrypted")
