"""Intake's referral page asks the matcher for likely youths through this module
(found by ``threadline.discovery``: intake sits below matching and does not import it)."""

from __future__ import annotations

from threadline.accounts.models import Membership
from threadline.intake.models import Referral
from threadline.matching import elsewhere
from threadline.matching.elsewhere import ProgramContact
from threadline.matching.selectors import Candidate, referral_candidates


def candidates(*, membership: Membership, referral: Referral, query: str, limit: int) -> list[Candidate]:
    return referral_candidates(membership=membership, referral=referral, query=query, limit=limit)


def known_elsewhere(*, membership: Membership, referral: Referral) -> list[ProgramContact]:
    return elsewhere.known_elsewhere(membership=membership, referral=referral)
