"""The directory's listing-audit page plugs in this room's panel (found by ``threadline.discovery``)."""

from __future__ import annotations

from typing import Any

from threadline.accounts.models import Membership
from threadline.referrals.work_selectors import feedback_for_listing


def panels(membership: Membership, organization_id: str) -> dict[str, Any]:
    """What referring staff said about this provider after their referrals (issue 11), for the audit."""
    return {
        "referral_feedback": feedback_for_listing(
            membership=membership, directory_organization_id=organization_id
        )
    }
