"""What the intake pages share."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.intake import selectors
from threadline.intake.models import Program
from threadline.intake.services.referrals import ReferralInput


def _membership(request: AuthedRequest, action: Action) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, action):
        raise PermissionDenied
    return membership


def referral_input(data: dict[str, Any], **given: Any) -> ReferralInput:
    """The referral a form describes: each field of :class:`ReferralInput` the form has, from its
    cleaned ``data``, and ``given`` in place of what the form says."""
    known = {field.name for field in dataclasses.fields(ReferralInput)}
    return ReferralInput(**{name: value for name, value in data.items() if name in known} | given)


def no_store(response: HttpResponse) -> HttpResponse:
    """A page that shows a referral's or a youth's details: no browser or proxy keeps a copy of it."""
    response["Cache-Control"] = "no-store"
    return response


def _is_htmx(request: AuthedRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _program(membership: Membership, slug: str) -> Program:
    program = selectors.program_for(membership=membership, slug=slug)
    if program is None:
        raise Http404
    return program
