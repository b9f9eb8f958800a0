"""API authentication: the browser's session (with CSRF) or a personal access token.

Either way the handler finds ``request.membership``: the person and the one organization they act for.
A token is re-checked on every call, so revocation, expiry or a disabled account take effect at once.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from threadline.accounts.security_log import log_event
from threadline.accounts.selectors import (
    membership_for_token,
    memberships_of,
    token_by_raw_value,
    user_needs_mfa_enrollment,
)
from threadline.accounts.services import api_token_touch
from threadline.api.errors import CsrfRefused

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = token_by_raw_value(raw=token)
        if api_token is None:
            log_event(
                "bearer_token_refused",
                request=request,
                token_prefix=token[:10] if token.startswith("tl_") else None,
            )
            return None
        membership = membership_for_token(token=api_token)
        if membership is None:
            log_event("bearer_token_refused", request=request, token_id=api_token.pk, reason="no membership")
            return None
        api_token_touch(token=api_token)
        request.membership = membership  # type: ignore[attr-defined]
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token


class SessionAuth(APIKeyCookie):
    """The signed-in browser session, CSRF-checked, with MFA done and an active membership.

    ninja's cookie auth checks CSRF in ``_get_key``; this class reads Django's session instead of a raw
    cookie, so it must run the same check itself (issue 9 item 3). Unsafe methods of a signed-in session
    need the CSRF token (header ``X-CSRFToken``) and, over HTTPS, a same-origin ``Origin``/``Referer``:
    a cross-site form or ``fetch`` with only the cookie (any content type, ``text/plain`` included) is
    refused with 403. Bearer-token calls never reach this class when their token is valid."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        from django.conf import settings

        return request.COOKIES.get(settings.SESSION_COOKIE_NAME)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user_needs_mfa_enrollment(user=user):
            return None
        unsafe = request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False)
        if unsafe and check_csrf(request) is not None:
            log_event("csrf_refused", request=request)
            raise CsrfRefused
        membership = getattr(request, "membership", None)
        if membership is None:
            membership = memberships_of(user=user).first()
            request.membership = membership  # type: ignore[attr-defined]
        return user if membership is not None else None


def acting_membership(request: HttpRequest) -> Any:
    return getattr(request, "membership", None)
