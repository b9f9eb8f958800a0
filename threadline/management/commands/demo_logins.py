from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from threadline.accounts.models import Membership
from threadline.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo sign-ins with their roles."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = (
            Membership.objects.filter(user__is_demo=True, is_active=True)
            .select_related("user", "organization")
            .order_by("organization__name", "role")
        )
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}; MFA skipped in DEMO_MODE only)")
        self.stdout.write(f"  {'e-mail':<44} {'role':<20} organization")
        for m in rows:
            self.stdout.write(f"  {m.user.email:<44} {m.get_role_display()!s:<20} {m.organization.name}")
        self.stdout.write("")
