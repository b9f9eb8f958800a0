"""Look for possible duplicate records among every indexed youth (once after installing the review
queue, or after changing the model). Youth writes keep the queue current after that."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from threadline.matching.duplicates import duplicates_scan_all


class Command(BaseCommand):
    help = "Fill the possible-duplicates review queue by scanning every indexed youth."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"scanned {duplicates_scan_all()} youths")
