"""Every read of family services, through ``family/policy.py`` (a ledger row for what is shown)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.family.models import (
    FamilyClient,
    FamilyMeeting,
    FamilyNeed,
    FamilyNote,
    FamilyReferral,
    FamilyTask,
)
from threadline.family.policy import LEDGER_CATEGORY, open_family_client, visible_family_clients
from threadline.youth.policy import access_youth


def family_clients_of(*, membership: Membership | None) -> list[FamilyClient]:
    """The family clients this person serves, with a ledger row for each one listed."""
    with transaction.atomic():
        clients = list(visible_family_clients(membership).select_related("data_key", "coordinator"))
        if clients and membership is not None:
            ledger.record_many_by(
                membership,
                [
                    ledger.Row(
                        action="view",
                        object_type="family_client",
                        object_id=c.pk,
                        category=LEDGER_CATEGORY,
                        purpose="list family clients",
                    )
                    for c in clients
                ],
            )
    return clients


@dataclass(frozen=True)
class FamilyPage:
    client: FamilyClient
    needs: list[FamilyNeed]
    tasks: list[FamilyTask]
    notes: list[FamilyNote]
    meetings: list[FamilyMeeting]
    referrals: list[FamilyReferral]


def family_client_page(*, membership: Membership | None, client_id: Any) -> FamilyPage:
    with transaction.atomic():
        client = open_family_client(membership, client_id, purpose="family client page")

        def own(rows: Any) -> list[Any]:
            out = list(rows)
            for row in out:
                row.client = client  # already opened: no query per row to find the key
            return out

        return FamilyPage(
            client=client,
            needs=own(client.needs.all()),
            tasks=own(client.tasks.select_related("owner")),
            notes=own(client.notes.select_related("author")),
            meetings=own(client.meetings.all()),
            referrals=own(client.referrals.all()),
        )


def household_for_referral(*, membership: Membership | None, youth_id: Any) -> list[tuple[str, str]]:
    """The youth's household members who may become family clients (never an alleged exploiter), as
    form choices; the usual 404 for whoever may not see the youth's household (identity)."""
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.IDENTITY, purpose="refer to family services")
        members = []
        for member in youth.household.filter(alleged_exploiter=False, family_client__isnull=True):
            member.youth = youth
            members.append((str(member.pk), f"{member.name or '—'} ({member.relationship or '—'})"))
    return members
