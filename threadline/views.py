"""The page shell: home, language switch, organization switch, health check, error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from threadline.accounts.selectors import ACTIVE_MEMBERSHIP_KEY, memberships_of
from threadline.accounts.services import user_set_language
from threadline.api.errors import NOT_FOUND
from threadline.http import AuthedRequest


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    from threadline.nav import items_for

    # Someone whose only page is the figures (an analyst) lands on it rather than on an empty page.
    pages = [item for item in items_for(request.membership) if item["name"] != "home"]
    if len(pages) == 1 and pages[0]["name"] == "outcomes:dashboard":
        return redirect(str(pages[0]["url"]))
    memberships = list(memberships_of(user=request.user))
    context = {"memberships": memberships, "notices": _notices(request), "panels": _panels(request)}
    return render(request, "threadline/home.html", context)


def _panels(request: AuthedRequest) -> list[str]:
    """What a room puts on the home page in place of the grid of links (``<app>/home_panel.py::panel``),
    e.g. the coordinator's and on-call advocate's Today."""
    from threadline.discovery import app_modules

    found = [module.panel(request) for _label, module in app_modules("home_panel")]
    return [html for html in found if html]


def _notices(request: AuthedRequest) -> list[dict[str, str]]:
    """Items that need the person's attention, from the rooms (``<app>/home_notices.py::notices``),
    e.g. partner agreements ending soon for the program admin. Links and counts, never youth data."""
    from threadline.discovery import app_modules

    found: list[dict[str, str]] = []
    for _label, module in app_modules("home_notices"):
        found.extend(module.notices(request.membership))
    return found


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; signed-in people keep the choice on their account (any device)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("unknown language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    translation.activate(language)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=True,
    )
    return response


@login_required
@require_POST
def switch_organization(request: AuthedRequest) -> HttpResponse:
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        return HttpResponseBadRequest("bad membership")
    if memberships_of(user=request.user).filter(pk=membership_id).exists():
        request.session[ACTIVE_MEMBERSHIP_KEY] = membership_id
    return redirect("home")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "threadline/error.html", {"status": 403, "title_key": "expired"}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An address the API does not have answers the contract's body, as a missing record does.
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return render(request, "threadline/error.html", {"status": 404, "title_key": "missing"}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error"}, status=500)
    return render(request, "threadline/error.html", {"status": 500, "title_key": "server"}, status=500)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "threadline/error.html", {"status": 400, "title_key": "bad"}, status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Forbidden youth data answers 404 through the access helpers; this is for role-level refusals.
    return render(request, "threadline/error.html", {"status": 403, "title_key": "forbidden"}, status=403)
