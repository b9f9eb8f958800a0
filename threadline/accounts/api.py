"""API for a person's own tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from threadline.accounts import selectors, services
from threadline.accounts.models import ApiToken

PREFIX = "/tokens/"
router = Router(tags=["accounts"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    organization_id: int
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@router.get("/", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(selectors.tokens_of(user=request.user))  # type: ignore[arg-type]


@router.post("/{token_id}/revoke", response={204: None})
def revoke_token(request: HttpRequest, token_id: int) -> Status[Any]:
    services.api_token_revoke(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    return Status(204, None)
