"""What the network services share: the program's own rows (locked for a write, or made with their ledger
row) and a check of two dates."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.ids import int_or_zero

M = TypeVar("M", bound=Model)


def check_dates(start: datetime.date | None, end: datetime.date | None, *, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({field: _("The end date must be after the start date.")})


def own_for_update(model: type[M], membership: Membership, row_id: Any) -> M:
    """One of the acting program's rows, locked for the write; another program's row or a forged id
    raises the model's DoesNotExist (the views answer 404)."""
    return model._default_manager.select_for_update().get(
        pk=int_or_zero(row_id), program_organization=membership.organization
    )


def create_owned(
    model: type[M],
    membership: Membership,
    *,
    action: str,
    object_type: str,
    purpose: str = "",
    category: str = "",
    **fields: Any,
) -> M:
    """A new row of the acting program, made by the person acting, with its ledger row."""
    row = model._default_manager.create(
        program_organization=membership.organization, created_by=membership.user, **fields
    )
    ledger.record_by(
        membership,
        action=action,
        object_type=object_type,
        object_id=row.pk,
        category=category,
        purpose=purpose,
    )
    return row
