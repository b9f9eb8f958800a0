"""Request types for views and API handlers: a signed-in person acting for one membership."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from threadline.accounts.models import Membership, User


class AuthedRequest(HttpRequest):
    user: User
    membership: Membership | None
    request_id: str
