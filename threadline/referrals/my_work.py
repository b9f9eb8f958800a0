"""Care's My work page plugs in this room's panel (found by ``threadline.discovery``)."""

from __future__ import annotations

from typing import Any

from threadline.accounts.models import Membership
from threadline.referrals.work_selectors import referrals_overdue


def panels(membership: Membership | None) -> dict[str, Any]:
    """Service referrals this person follows up that wait too long (issue 11)."""
    return {"referrals_overdue": referrals_overdue(membership=membership)}
