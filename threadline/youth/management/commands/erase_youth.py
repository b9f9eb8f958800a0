from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.accounts.models import Membership
from threadline.youth.erasure import erasure_approve, erasure_request


class Command(BaseCommand):
    help = (
        "Erase a youth completely, with two people: one asks (--request), a different supervisor approves "
        "(--approve). Deletes every row and the youth's data key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", required=True, help="e-mail of the person acting")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--request", metavar="YOUTH_ID", help="ask to erase this youth (record id)")
        group.add_argument("--approve", metavar="REQUEST_ID", help="approve an erasure request")
        parser.add_argument("--reason", default="", help="why (required with --request)")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.select_related("user", "organization")
            .filter(
                user__email=options["by"].strip().lower(),
                is_active=True,
                user__is_active=True,
                organization__is_care_coordinator=True,
            )
            .order_by("role")
            .first()
        )
        if membership is None:
            raise CommandError("no active Care Coordinator staff member with that e-mail")
        try:
            if options["request"]:
                request = erasure_request(
                    membership=membership, youth_id=options["request"], reason=options["reason"]
                )
                self.stdout.write(
                    f"erasure requested: {request.pk} (a different supervisor must --approve it)"
                )
            else:
                request = erasure_approve(membership=membership, request_id=options["approve"])
                self.stdout.write(f"youth {request.youth_reference} erased")
        except PermissionDenied as exc:
            raise CommandError(
                "not allowed: a care coordinator or supervisor asks; a *different* supervisor approves"
            ) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except Exception as exc:
            if exc.__class__.__name__ == "YouthNotFound":
                raise CommandError("no such youth, or not yours to erase") from exc
            raise
