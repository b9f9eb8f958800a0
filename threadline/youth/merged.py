"""A record merged into another (the matcher's merge, ``threadline/matching/services.py``) leads to
the record kept. The matcher answers where through its ``youth_hooks.merged_into`` (found by
``threadline.discovery``: youth sits below matching and does not import it)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.discovery import app_modules
from threadline.youth.policy import YouthNotFound, parse_youth_id, visible_youth


def _survivor(pk: uuid.UUID) -> uuid.UUID | None:
    for _label, module in app_modules("youth_hooks"):
        ask = getattr(module, "merged_into", None)
        if ask is not None:
            found: uuid.UUID | None = ask(pk)
            if found is not None:
                return found
    return None


def merged_record_leads_to(*, membership: Membership | None, youth_id: Any) -> uuid.UUID | None:
    """None when the record is not merged. When it is: the record kept, if this person may open both
    records (one ledger row: the merged record led them there); otherwise the 404 of a missing youth,
    so the merge says nothing to anyone who may not see both."""
    pk = parse_youth_id(youth_id)
    survivor = _survivor(pk)
    if survivor is None:
        return None
    seen = set(
        visible_youth(membership, Category.RECORD).filter(pk__in=[pk, survivor]).values_list("pk", flat=True)
    )
    if seen != {pk, survivor} or membership is None:
        raise YouthNotFound
    with transaction.atomic():
        ledger.entry(
            membership,
            "view",
            "youth",
            pk,
            "merged record leads to the record kept",
            category=Category.RECORD,
            youth_id=pk,
        )
    return survivor
