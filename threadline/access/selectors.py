"""Reads of access facts that are not youth data themselves."""

from __future__ import annotations

from typing import Any

from threadline.access.models import BreakGlass
from threadline.accounts.models import Membership
from threadline.core.ids import uuid_or_none


def break_glass_for_review(*, membership: Membership, grant_id: Any) -> BreakGlass | None:
    pk = uuid_or_none(grant_id)
    if pk is None:
        return None
    return (
        BreakGlass.objects.select_related("user", "youth", "reviewed_by")
        .filter(pk=pk, organization=membership.organization)
        .first()
    )


def break_glass_unreviewed(*, membership: Membership) -> list[BreakGlass]:
    return list(
        BreakGlass.objects.select_related("user")
        .filter(organization=membership.organization, reviewed_at__isnull=True)
        .order_by("-started_at")[:50]
    )


def consent_files_of(*, consent_ids: list[Any]) -> dict[Any, list[Any]]:
    """Files per consent, for the releases page (which has already opened the youth)."""
    from threadline.access.consent_files import ConsentFile

    found: dict[Any, list[Any]] = {}
    for row in ConsentFile.objects.filter(consent_id__in=consent_ids).order_by("uploaded_at"):
        found.setdefault(row.consent_id, []).append(row)
    return found
