"""Reads of access facts that are not youth data themselves."""

from __future__ import annotations

import uuid
from typing import Any

from threadline.access.models import BreakGlass
from threadline.accounts.models import Membership


def break_glass_for_review(*, membership: Membership, grant_id: Any) -> BreakGlass | None:
    try:
        pk = uuid.UUID(str(grant_id))
    except ValueError:
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


def consent_files_require(*, membership: Membership | None, youth_id: Any) -> None:
    """Refuse early (before an upload is read): the usual 404 unless this membership records releases
    for this youth. Discloses nothing, so no ledger row."""
    from threadline.access.categories import Category
    from threadline.access.youth_access import COORDINATOR_ORG_WHOLE_CASELOAD, YouthNotFound, require_youth

    if membership is None or not (
        membership.organization.is_care_coordinator and membership.role in COORDINATOR_ORG_WHOLE_CASELOAD
    ):
        raise YouthNotFound
    require_youth(membership, youth_id, Category.RECORD, write=True)


def consent_file_open(*, membership: Membership | None, youth_id: Any, file_id: Any) -> tuple[Any, bytes]:
    """A scanned consent form and its cleaned bytes, for those who record releases for this youth (the
    usual 404 for everyone else). ``(None, b"")`` when this youth has no such file. Ledgered as a view."""
    from django.db import transaction

    from threadline.access.categories import Category
    from threadline.access.consent_files import ConsentFile
    from threadline.access.youth_access import (
        COORDINATOR_ORG_WHOLE_CASELOAD,
        YouthNotFound,
        _parse_id,
        access_youth,
    )
    from threadline.audit import ledger
    from threadline.crypto.envelope import open_sealed

    if membership is None or not (
        membership.organization.is_care_coordinator and membership.role in COORDINATOR_ORG_WHOLE_CASELOAD
    ):
        raise YouthNotFound
    try:
        pk = _parse_id(file_id)
    except YouthNotFound:
        pk = None
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.RECORD, purpose="consent form")
        record = ConsentFile.objects.defer(None).filter(pk=pk, youth=youth).first() if pk else None
        if record is None:
            return None, b""
        data = open_sealed(bytes(record.sealed), key=youth.encryption_key(), aad=record.aad())
        ledger.record(
            actor=membership.user,
            organization=membership.organization,
            action="view",
            object_type="consent_file",
            object_id=record.pk,
            youth_id=youth.pk,
            category=Category.RECORD,
            purpose=f"scanned form for consent {record.consent_id}",
        )
    return record, data


def consent_files_of(*, consent_ids: list[Any]) -> dict[Any, list[Any]]:
    """Files per consent, for the releases page (which has already opened the youth)."""
    from threadline.access.consent_files import ConsentFile

    found: dict[Any, list[Any]] = {}
    for row in ConsentFile.objects.filter(consent_id__in=consent_ids).order_by("uploaded_at"):
        found.setdefault(row.consent_id, []).append(row)
    return found
