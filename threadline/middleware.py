"""Cross-cutting request handling: request ids, security headers, timeouts, language, active org, MFA."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_cache_control

from threadline.context import RequestFacts, reset_request, set_request

Handler = Callable[[HttpRequest], HttpResponse]

SESSION_STARTED = "tl_started"
SESSION_LAST_SEEN = "tl_last_seen"


class RequestContextMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request(RequestFacts(request_id=request_id, ip=request.META.get("REMOTE_ADDR")))
        try:
            response = self.get_response(request)
        finally:
            reset_request(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself, and no caching of anything a signed-in person saw."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            # Shared phones and shelter computers: the back button must not show a youth's record.
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response


class SessionTimeoutMiddleware:
    """Idle timeout (default 15 min) and absolute timeout (default 12 h) for signed-in sessions."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED)
            last_seen = request.session.get(SESSION_LAST_SEEN)
            idle = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60
            if started is None:
                request.session[SESSION_STARTED] = now
            elif (last_seen is not None and now - int(last_seen) > idle) or now - int(started) > absolute:
                logout(request)
                if _wants_json(request):
                    return JsonResponse({"detail": "session expired"}, status=401)
                response = redirect(f"{settings_login_url()}?timeout=1")
                return response
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person's language choice follows them to any device (stored on the user)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        lang = getattr(user, "preferred_language", "") if user is not None and user.is_authenticated else ""
        if lang:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)


class ActiveOrganizationMiddleware:
    """Puts the active membership on the request. One person may work for several agencies;
    which one they act for is explicit, and every ledger row records it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from threadline.accounts.selectors import active_membership_for_session

        request.membership = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.membership = active_membership_for_session(user=user, session=request.session)  # type: ignore[attr-defined]
        return self.get_response(request)


# Only the sign-in and enrollment pages themselves. Public pages (/refer/, /directory/) need no
# exemption: anonymous visitors pass, and a signed-in person without a factor is sent to enroll.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class RequireMFAMiddleware:
    """Staff cannot use the app until a second factor is set up (demo users excepted in DEMO_MODE)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from threadline.accounts.selectors import user_needs_mfa_enrollment

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user_needs_mfa_enrollment(user=user)
        ):
            if _wants_json(request):
                return JsonResponse({"detail": "set up two-factor authentication first"}, status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def settings_login_url() -> str:
    from django.urls import reverse

    return reverse("account_login")
