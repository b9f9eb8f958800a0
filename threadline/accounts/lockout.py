"""How django-axes names the account in a failed sign-in: the e-mail typed, lower-cased."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username_from_credentials(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    # allauth authenticates with ``email=``; the login form's field is ``login``.
    for source in (credentials or {}, getattr(request, "POST", {})):
        for key in ("email", "username", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
