"""THE policy: may this person, acting for this organization, do this? And why.

Every answer carries a reason a supervisor can read in an access review. Per-youth rules (care team,
consent, break-glass) live in ``youth.policy`` and are built on ``may``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from threadline.core.actions import Action, kind_allows, kind_of

if TYPE_CHECKING:
    from threadline.accounts.models import Membership


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def may(membership: Membership | None, action: Action) -> Decision:
    """Role-level permission within the active organization, by role AND kind of organization
    (``KIND_ROLE_ACTIONS``): a partner agency's supervisor is not the Care Coordinator's. No membership:
    nothing."""
    if membership is None or not membership.is_active:
        return Decision(False, "no active membership")
    if not membership.user.is_active:
        return Decision(False, "account disabled")
    if not membership.organization.is_active:
        return Decision(False, "organization inactive")
    kind = kind_of(membership.organization)
    if kind_allows(kind, membership.role, action):
        return Decision(True, f"role {membership.role} may {action} ({kind} organization)")
    return Decision(False, f"role {membership.role} may not {action} in a {kind} organization")


def require(membership: Membership | None, action: Action) -> Membership:
    """``membership``, when its role may do ``action`` here (``may``); otherwise ``PermissionDenied``
    (a 403: for youth data, callers answer the 404 of a missing youth instead)."""
    if membership is None or not may(membership, action):
        raise PermissionDenied
    return membership
