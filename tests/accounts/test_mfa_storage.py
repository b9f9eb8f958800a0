"""Issue 19 (V6): TOTP tolerance 0, recovery codes longer than 8 digits, secrets sealed at rest and not
shown in the admin; sign-in logs read-only in the admin."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from tests.conftest import PASSWORD, Persona
from tests.totp import current_code

pytestmark = pytest.mark.django_db


def test_the_previous_periods_code_is_refused(coordinator: Persona) -> None:
    assert coordinator.totp_secret is not None
    client = Client()
    step = client.post("/accounts/login/", {"login": coordinator.user.email, "password": PASSWORD})[
        "Location"
    ]
    stale = client.post(step, {"code": current_code(coordinator.totp_secret, offset_periods=-1)})
    assert stale.status_code == 200  # the form again, with an error
    assert client.get("/").status_code == 302


def test_recovery_codes_have_twelve_digits(coordinator: Persona) -> None:
    codes = RecoveryCodes.activate(coordinator.user).generate_codes()
    assert len(codes) == 10
    assert {len(code) for code in codes} == {12}


def test_totp_secret_and_recovery_seed_are_sealed_at_rest(coordinator: Persona) -> None:
    assert coordinator.totp_secret is not None
    RecoveryCodes.activate(coordinator.user)
    totp = Authenticator.objects.get(user=coordinator.user, type=Authenticator.Type.TOTP)
    stored = json.dumps(totp.data)
    assert coordinator.totp_secret not in stored
    assert totp.data["secret"].startswith("tl1:k1:")
    rc = Authenticator.objects.get(user=coordinator.user, type=Authenticator.Type.RECOVERY_CODES)
    assert rc.data["seed"].startswith("tl1:k1:")
    # and the sealed secret still signs in
    client = Client()
    step = client.post("/accounts/login/", {"login": coordinator.user.email, "password": PASSWORD})[
        "Location"
    ]
    client.post(step, {"code": current_code(coordinator.totp_secret)})
    assert client.get("/").status_code == 200


def test_admin_shows_no_secret_and_removes_no_factor(
    program_admin: Persona, coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    program_admin.user.is_staff = True
    program_admin.user.is_superuser = True
    program_admin.user.save(update_fields=["is_staff", "is_superuser"])
    admin = client_for(program_admin)
    totp = Authenticator.objects.get(user=coordinator.user, type=Authenticator.Type.TOTP)
    page = admin.get(f"/django-admin/mfa/authenticator/{totp.pk}/change/")
    assert page.status_code == 200
    assert totp.data["secret"] not in page.content.decode()
    assert str(coordinator.totp_secret) not in page.content.decode()
    assert admin.get(f"/django-admin/mfa/authenticator/{totp.pk}/delete/").status_code == 403
    admin.post(f"/django-admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})
    assert Authenticator.objects.filter(pk=totp.pk).exists()


def test_sign_in_records_are_read_only_in_the_admin(
    program_admin: Persona, advocate: Persona, client_for: Callable[[Persona], Client]
) -> None:
    from axes.models import AccessAttempt

    Client(REMOTE_ADDR="203.0.113.5").post(
        "/accounts/login/", {"login": advocate.user.email, "password": "nope"}
    )
    attempt = AccessAttempt.objects.get(username=advocate.user.email)
    program_admin.user.is_staff = True
    program_admin.user.is_superuser = True
    program_admin.user.save(update_fields=["is_staff", "is_superuser"])
    admin = client_for(program_admin)
    assert admin.get(f"/django-admin/axes/accessattempt/{attempt.pk}/delete/").status_code == 403
    admin.post(f"/django-admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_rotate_keys_reseals_factors_so_the_old_master_key_can_be_retired(
    coordinator: Persona, settings: Settings
) -> None:
    """Issue 19 (V11): retiring a master key must not lock out everyone whose factor it sealed."""
    assert coordinator.totp_secret is not None
    RecoveryCodes.activate(coordinator.user)
    old = settings.MASTER_KEYS
    new = "k2:" + base64.urlsafe_b64encode(b"m" * 32).decode()
    settings.MASTER_KEYS = new + "," + old
    call_command("rotate_keys")
    totp = Authenticator.objects.get(user=coordinator.user, type=Authenticator.Type.TOTP)
    rc = Authenticator.objects.get(user=coordinator.user, type=Authenticator.Type.RECOVERY_CODES)
    assert totp.data["secret"].startswith("tl1:k2:")
    assert rc.data["seed"].startswith("tl1:k2:")

    settings.MASTER_KEYS = new  # the old key retired: the factor still signs in
    client = Client()
    step = client.post("/accounts/login/", {"login": coordinator.user.email, "password": PASSWORD})[
        "Location"
    ]
    client.post(step, {"code": current_code(coordinator.totp_secret)})
    assert client.get("/").status_code == 200
