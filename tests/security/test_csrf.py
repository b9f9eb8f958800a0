"""CSRF and origin checks on every state-changing route, pages and API, discovered (not listed).

A browser that holds Threadline's session cookie can be made to send a request by any other site. Such a
request carries the cookie but not the CSRF token (it cannot read it), or it carries a token but comes
from another origin. Every page route and every state-changing API operation must refuse it with exactly
403 and change nothing, whatever the method. Routes come from the URL resolver and the OpenAPI schema, so
a new page or endpoint is covered the day it is added.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import Persona, record_factor_used
from tests.factories.youth import make_youth
from tests.security.report import report
from threadline.accounts.models import Organization
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db

OTHER_ID = "7f1c2b3a-0000-4000-8000-000000000001"  # any second id: the CSRF check runs before the view
EVIL_ORIGIN = "https://evil.example"
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def page_routes() -> list[str]:
    """Every HTML route (allauth's sign-in pages and the Django admin included), API excluded."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith("api/"):
                    continue
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                if "^" in route or "(?P" in route:  # regex patterns (admin's app index): fill by hand
                    route = "django-admin/youth/" if route.startswith("django-admin/") else ""
                    if not route:
                        continue
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every state-changing operation in the OpenAPI schema."""
    from threadline.api.api import api

    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method.upper() in STATE_CHANGING
    )


def fill_page(route: str, youth_id: str) -> str:
    path = re.sub(r"<(?:\w+:)?youth_id>", youth_id, route)
    path = re.sub(r"<int:\w+>", "1", path)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", OTHER_ID, path)


def fill_api(path: str, youth_id: str) -> str:
    return re.sub(r"{\w+}", OTHER_ID, path.replace("{youth_id}", youth_id))


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "axes", "contenttypes", "auth", "admin"}
        and not model._meta.abstract
        and model._meta.managed
    }


@pytest.fixture
def youth(coordinator: Persona) -> Youth:
    return make_youth(coordinator.membership, preferred_name="Ottilie", legal_name="Ottilie Brennan-Vasquez")


@pytest.fixture
def signed_in(coordinator: Persona) -> Client:
    """The coordinator's browser, with the session cookie and CSRF checks enforced as a browser sees them."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    record_factor_used(
        client, coordinator.user
    )  # a session that used its second factor, as sign-in leaves it
    return client


def csrf_cookie(client: Client) -> str:
    """Give the client a real CSRF cookie (as a page view would) and return the token that matches it."""
    from django.conf import settings
    from django.http import HttpRequest

    request = HttpRequest()
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return token


Attack = Callable[[Client, str, str], Any]


def no_token(client: Client, method: str, path: str) -> Any:
    return client.generic(method, path, data=b"{}", content_type="application/json")


def wrong_token(client: Client, method: str, path: str) -> Any:
    csrf_cookie(client)
    return client.generic(
        method, path, data=b"{}", content_type="application/json", headers={"X-CSRFToken": "x" * 32}
    )


def foreign_origin(client: Client, method: str, path: str) -> Any:
    """A valid token, but sent from another site (Origin header): refused by the origin check."""
    token = csrf_cookie(client)
    return client.generic(
        method,
        path,
        data=b"{}",
        content_type="application/json",
        headers={"X-CSRFToken": token, "Origin": EVIL_ORIGIN},
    )


def text_plain_no_token(client: Client, method: str, path: str) -> Any:
    """The 'simple request' a cross-site form can send without a preflight: text/plain JSON."""
    return client.generic(method, path, data=b'{"preferred_name": "x"}', content_type="text/plain")


ATTACKS: dict[str, Attack] = {
    "no_token": no_token,
    "wrong_token": wrong_token,
    "foreign_origin": foreign_origin,
    "text_plain": text_plain_no_token,
}


def test_discovery_finds_the_known_state_changing_routes() -> None:
    pages = page_routes()
    assert "youth/<str:youth_id>/consents" in pages
    assert "refer/" in pages or any(r.startswith("refer") for r in pages)
    assert "accounts/login/" in pages
    assert len(pages) > 60
    operations = api_operations()
    assert ("POST", "/api/v1/youth/{youth_id}/consents/{consent_id}/revoke") in operations
    assert ("PATCH", "/api/v1/youth/{youth_id}") in operations
    assert ("POST", "/api/v1/youth/") in operations


def test_a_request_with_the_right_token_is_not_refused(signed_in: Client) -> None:
    """The control: the checks below can fail, because a request with the token gets through."""
    token = csrf_cookie(signed_in)
    response = signed_in.post(
        "/i18n/language", {"language": "es", "next": "/"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_page_refuses_a_forged_request(
    attack: str, signed_in: Client, youth: Youth, care_coordinator_org: Organization
) -> None:
    before = table_counts()
    routes = page_routes()
    answered: dict[str, list[str]] = {}
    for route in routes:
        path = fill_page(route, str(youth.pk))
        for method in ("POST", "DELETE") if attack == "no_token" else ("POST",):
            response = ATTACKS[attack](signed_in, method, path)
            key = f"{response.status_code} {getattr(response, 'context', None) and response.context.get('title_key')}"
            answered.setdefault(key, []).append(f"{method} {path}")
    tried = sum(len(v) for v in answered.values())
    report(
        "attacks",
        suite=f"forged page requests ({attack})",
        tried=tried,
        refused=len(answered.get("403 expired", [])),
    )
    # Exactly one answer for all of them: the CSRF failure page, 403.
    assert list(answered) == ["403 expired"], {k: v[:5] for k, v in answered.items()}
    assert table_counts() == before


def test_anonymous_public_forms_refuse_a_forged_request(client: Client) -> None:
    """The public referral form is protected too (a forged referral is a way to plant a false report)."""
    anonymous = Client(enforce_csrf_checks=True)
    before = table_counts()
    response = anonymous.post("/refer/", {"concern": "forged"})
    assert response.status_code == 403
    assert table_counts() == before


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_api_operation_refuses_a_forged_session_request(
    attack: str, signed_in: Client, youth: Youth
) -> None:
    before = table_counts()
    answered: dict[int, list[str]] = {}
    for method, path in api_operations():
        response = ATTACKS[attack](signed_in, method, fill_api(path, str(youth.pk)))
        answered.setdefault(response.status_code, []).append(f"{method} {path}")
    tried = sum(len(v) for v in answered.values())
    report(
        "attacks", suite=f"forged API requests ({attack})", tried=tried, refused=len(answered.get(403, []))
    )
    assert list(answered) == [403], answered
    assert table_counts() == before


def test_api_tokens_need_no_csrf_token(coordinator: Persona, youth: Youth) -> None:
    """A bearer token is not ambient authority (a browser never adds it by itself): no CSRF needed, so
    scripts keep working, and the forged-request refusals above are about the cookie only."""
    from threadline.accounts.services import api_token_issue

    issued = api_token_issue(membership=coordinator.membership, name="csrf-suite")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/youth/search",
        data=b'{"q": "Ottilie"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {issued.raw}"},
    )
    assert response.status_code == 200
