"""Lockout is keyed on e-mail + IP: someone guessing a caseworker's e-mail elsewhere locks out nobody."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.conftest import PASSWORD, Persona

pytestmark = pytest.mark.django_db


def attempt(ip: str, email: str, password: str) -> int:
    client = Client(REMOTE_ADDR=ip)
    return client.post("/accounts/login/", {"login": email, "password": password}).status_code


@override_settings(AXES_FAILURE_LIMIT=3)
def test_attacker_ip_is_locked_but_the_caseworker_is_not(advocate: Persona) -> None:
    from axes.models import AccessAttempt

    email = advocate.user.email
    for _ in range(3):
        attempt("203.0.113.9", email, "wrong guess")
    # The attacker's IP is now refused even with the right password...
    locked_client = Client(REMOTE_ADDR="203.0.113.9")
    locked = locked_client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert locked.status_code == 429
    assert AccessAttempt.objects.filter(username=email, ip_address="203.0.113.9").exists()
    # ...while the caseworker, at the office, signs in normally.
    office = Client(REMOTE_ADDR="198.51.100.20")
    ok = office.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert ok.status_code == 302
    assert "/accounts/2fa/authenticate" in ok["Location"]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_same_ip_other_account_still_works(advocate: Persona, coordinator: Persona) -> None:
    for _ in range(3):
        attempt("192.0.2.5", advocate.user.email, "nope")
    ok = Client(REMOTE_ADDR="192.0.2.5").post(
        "/accounts/login/", {"login": coordinator.user.email, "password": PASSWORD}
    )
    assert ok.status_code == 302


def test_ten_failures_from_a_shelter_computer_lock_no_other_account(
    advocate: Persona, coordinator: Persona, supervisor: Persona
) -> None:
    """Issue 9 item 8: allauth's own limit was 10 failures a minute per address for every account."""
    from django.conf import settings
    from django.core.cache import cache

    from threadline.settings import base

    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS, AXES_FAILURE_LIMIT=100):
        assert settings.ACCOUNT_RATE_LIMITS["login_failed"]
        for n in range(12):
            attempt("192.0.2.77", f"nobody{n}@cedar.test", "wrong guess")
        for _ in range(4):
            attempt("192.0.2.77", advocate.user.email, "wrong guess")
        ok = Client(REMOTE_ADDR="192.0.2.77").post(
            "/accounts/login/", {"login": coordinator.user.email, "password": PASSWORD}
        )
        assert ok.status_code == 302
        # ...and the guessed e-mail is still open to its owner from another address.
        for _ in range(6):
            attempt("192.0.2.77", supervisor.user.email, "wrong guess")
        office = Client(REMOTE_ADDR="198.51.100.20").post(
            "/accounts/login/", {"login": supervisor.user.email, "password": PASSWORD}
        )
        assert office.status_code == 302
    cache.clear()
