"""Who may see which family client: the one gate for family-services data.

A family client is not youth data, but it is just as private: it is read only by people of the
organization that serves the family, with ``Action.SERVE_FAMILIES``; the Family Coordinator sees the
family clients assigned to them, roles with ``Action.SEE_ALL_FAMILY_CLIENTS`` every family client of
their organization. A family client whose household row is flagged as an alleged exploiter is never
shown to anyone (the flag is read at every use, not only when the client was opened). Every opening
writes a ledger row in the same transaction; missing and forbidden answer the same 404.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.ids import uuid_or_raise
from threadline.core.policy import may
from threadline.family.models import FamilyClient

if TYPE_CHECKING:
    from threadline.accounts.models import Membership

LEDGER_CATEGORY = "family"  # ledger rows about family clients: not a youth category


class FamilyClientNotFound(Http404):
    """Missing and forbidden look exactly alike."""


def visible_family_clients(membership: Membership | None) -> QuerySet[FamilyClient]:
    """Family clients this membership may see (lists, counts)."""
    if membership is None or not may(membership, Action.SERVE_FAMILIES):
        return FamilyClient.objects.none()
    rows = FamilyClient.objects.filter(organization=membership.organization).exclude(
        household_member__alleged_exploiter=True
    )
    if not may(membership, Action.SEE_ALL_FAMILY_CLIENTS):
        rows = rows.filter(coordinator=membership.user)
    return rows


def parse_client_id(client_id: Any) -> uuid.UUID:
    return uuid_or_raise(client_id, FamilyClientNotFound)


def require_family_client(membership: Membership | None, client_id: Any) -> None:
    """Refuse early (before reading a form) with the usual 404; discloses nothing, no ledger row."""
    if not visible_family_clients(membership).filter(pk=parse_client_id(client_id)).exists():
        raise FamilyClientNotFound


def open_family_client(
    membership: Membership | None,
    client_id: Any,
    *,
    write: bool = False,
    purpose: str = "",
    lock: bool = False,
) -> FamilyClient:
    """The family client, if this membership may see it; else the 404 of a missing one. One ledger
    row in the caller's transaction (or its own)."""
    pk = parse_client_id(client_id)
    with transaction.atomic():
        rows = visible_family_clients(membership).filter(pk=pk).select_related("data_key")
        if lock:
            rows = rows.select_for_update(of=("self",))
        client = rows.first()
        if client is None:
            raise FamilyClientNotFound
        assert membership is not None
        ledger.record_by(
            membership,
            action="edit" if write else "view",
            object_type="family_client",
            object_id=client.pk,
            category=LEDGER_CATEGORY,
            purpose=purpose or "open family client",
        )
    return client
