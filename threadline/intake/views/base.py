"""What the intake pages share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.intake import selectors
from threadline.intake.models import Program


def _membership(request: AuthedRequest, action: Action) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, action):
        raise PermissionDenied
    return membership


def _is_htmx(request: AuthedRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _program(membership: Membership, slug: str) -> Program:
    program = selectors.program_for(membership=membership, slug=slug)
    if program is None:
        raise Http404
    return program
