"""Cross-cutting request handling: request ids, security headers, timeouts, language, active org, MFA."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from threadline.accounts.security_log import log_event
from threadline.context import RequestFacts, reset_request, set_request

Handler = Callable[[HttpRequest], HttpResponse]

SESSION_STARTED = "tl_started"
SESSION_LAST_SEEN = "tl_last_seen"
LOGOUT_PATH = "/accounts/logout/"
SESSION_ALIVE_PATH = "/team/session"
CLEAR_SITE_DATA = '"cache", "storage"'


class RequestContextMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        from threadline.accounts.network import client_ip

        token = set_request(RequestFacts(request_id=request_id, ip=client_ip(request)))
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
        if request.method == "POST" and request.path == LOGOUT_PATH and response.status_code in (200, 302):
            # Signed out: the browser drops what it cached and stored for this site (cookies stay, so
            # the next sign-in still has its CSRF cookie).
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
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
                log_event("session_expired", request=request, level=logging.INFO)
                logout(request)
                if _wants_json(request):
                    response: HttpResponse = JsonResponse({"detail": "session expired"}, status=401)
                else:
                    response = _to_sign_in(request, f"{settings_login_url()}?timeout=1")
                response["Clear-Site-Data"] = CLEAR_SITE_DATA
                return response
            if request.path != SESSION_ALIVE_PATH:
                # The page's "am I still signed in?" check must not keep an idle session alive.
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


# A session of a person with a factor that never used it: only static files need no session at all.
FACTOR_CHECK_EXEMPT_PREFIXES = ("/static/", "/healthz")


class RequireMFAMiddleware:
    """Staff cannot use the app until a second factor is set up (demo users excepted in DEMO_MODE),
    and a person with a factor must have used it *in this session*: a session that a password alone
    opened (the Django admin's own form did, before it was routed through allauth) is ended."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from threadline.accounts.selectors import factor_verified_in_session, user_needs_mfa_enrollment

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if not request.path.startswith(FACTOR_CHECK_EXEMPT_PREFIXES) and not factor_verified_in_session(
                request=request, user=user
            ):
                log_event("session_without_factor_ended", request=request)
                next_path = request.get_full_path() if request.method == "GET" else "/"
                logout(request)
                if _wants_json(request):
                    return JsonResponse({"detail": "Unauthorized"}, status=401)
                return _to_sign_in(request, f"{settings_login_url()}?{urlencode({'next': next_path})}")
            if not request.path.startswith(MFA_EXEMPT_PREFIXES) and user_needs_mfa_enrollment(user=user):
                if _wants_json(request):
                    return JsonResponse({"detail": "set up two-factor authentication first"}, status=403)
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class RefusalLogMiddleware:
    """Every refused request of a signed-in person (or an API caller) goes to the security log: a 404
    answered for a record they asked for, a 403, a 401. The route *name* is logged, never the URL (it
    may hold a youth id or a search term)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if status in (401, 403, 404) and not request.path.startswith(settings.STATIC_URL):
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
            if signed_in or request.path.startswith("/api/"):
                log_event("access_refused", request=request, status=status)
        return response


class HtmxSignInMiddleware:
    """An HTMX request whose session is gone must not swap the sign-in page into a panel: answer 401
    with ``HX-Redirect`` to the sign-in page (app.js also blanks the page on a 401)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true" and response.status_code == 302:
            location = response.get("Location", "")
            if location.startswith(settings_login_url()):
                return _to_sign_in(request, location)
        return response


def _to_sign_in(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=401)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or request.path == SESSION_ALIVE_PATH


def settings_login_url() -> str:
    from django.urls import reverse

    return reverse("account_login")


class MethodNotAllowedPageMiddleware:
    """A POST-only address opened in the browser (a bookmark, a reload, a pasted link) answered an empty
    405 that Chromium shows as a bare "HTTP ERROR 405": answer a page in the person's language instead,
    with the same status and ``Allow`` header. The API keeps its own JSON error contract."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.content
            or request.path.startswith("/api/")
            or getattr(request, "htmx", False)
            or _wants_json(request)
        ):
            return response
        page = render(request, "threadline/error.html", {"status": 405, "title_key": "method"}, status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
