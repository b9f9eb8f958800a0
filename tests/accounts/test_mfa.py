"""Second factor: required for staff, enforced on every page, never bypassed by a password reset."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client, override_settings

from tests.conftest import PASSWORD, ClientFor, Persona, make_persona
from tests.totp import current_code
from threadline.accounts.models import Organization

pytestmark = pytest.mark.django_db


def sign_in_with_password(client: Client, email: str, password: str = PASSWORD) -> str:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def test_staff_without_second_factor_reach_no_page(care_coordinator_org: Organization) -> None:
    rookie = make_persona(
        email="rookie@cedar.test", role="csey_advocate", organization=care_coordinator_org, with_mfa=False
    )
    client = Client()
    location = sign_in_with_password(client, rookie.user.email)
    assert "/accounts/2fa/totp/activate" in location or location == "/"
    for path in ["/", "/team/tokens/", "/audit/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/2fa/totp/activate" in response["Location"]
    api = client.get("/api/v1/me")
    assert api.status_code in (401, 403)
    assert b"nadia" not in api.content


def test_enrolled_staff_sign_in_needs_the_code(coordinator: Persona) -> None:
    client = Client()
    location = sign_in_with_password(client, coordinator.user.email)
    assert "/accounts/2fa/authenticate" in location
    # Password alone is not a session: the home page still asks to sign in.
    assert client.get("/").status_code == 302
    wrong = client.post(location, {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/").status_code == 302
    assert coordinator.totp_secret is not None
    ok = client.post(location, {"code": current_code(coordinator.totp_secret)})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200


def test_new_staff_created_by_program_admin_must_enroll_then_signs_in_with_totp(
    program_admin: Persona, client_for: ClientFor
) -> None:
    admin = client_for(program_admin)
    response = admin.post(
        "/team/",
        {
            "email": "newcomer@cedar.test",
            "full_name": "Newcomer Example",
            "role": "csey_advocate",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    assert "newcomer" not in mail.outbox[0].subject.lower()
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", body)
    assert link, body

    newcomer = Client()
    form_page = newcomer.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    new_password = "a brand new long passphrase 42"
    done = newcomer.post(set_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    # The reset did not sign them in.
    assert newcomer.get("/").status_code == 302

    sign_in_with_password(newcomer, "newcomer@cedar.test", new_password)
    forced = newcomer.get("/")
    assert forced.status_code == 302 and "/accounts/2fa/totp/activate" in forced["Location"]
    activate_page = newcomer.get("/accounts/2fa/totp/activate/")
    assert activate_page.status_code == 200
    secret = newcomer.session["mfa.totp.secret"]
    enrolled = newcomer.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert enrolled.status_code == 302
    assert Authenticator.objects.filter(user__email="newcomer@cedar.test", type="totp").exists()
    assert newcomer.get("/").status_code == 200

    newcomer.logout()
    later = Client()
    step = sign_in_with_password(later, "newcomer@cedar.test", new_password)
    assert "/accounts/2fa/authenticate" in step
    # Tolerance 0: only the current period's code; the one used to enroll may not be replayed, so
    # forget it here as the next 30 s period would.
    from django.core.cache import cache

    cache.clear()
    later.post(step, {"code": current_code(secret)})
    assert later.get("/").status_code == 200


def test_password_reset_never_bypasses_mfa(coordinator: Persona) -> None:
    client = Client()
    client.post("/accounts/password/reset/", {"email": coordinator.user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", str(mail.outbox[-1].body))
    assert link
    page = client.get(link.group(1), follow=True)
    url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
    client.post(url, {"password1": "another long passphrase 77", "password2": "another long passphrase 77"})
    assert client.get("/").status_code == 302  # not signed in by the reset
    step = sign_in_with_password(client, coordinator.user.email, "another long passphrase 77")
    assert "/accounts/2fa/authenticate" in step
    assert client.get("/").status_code == 302


@override_settings(DEMO_MODE=True)
def test_demo_users_skip_enrollment_only_in_demo_mode(care_coordinator_org: Organization) -> None:
    demo = make_persona(
        email="demo@cedar.test", role="csey_advocate", organization=care_coordinator_org, with_mfa=False
    )
    demo.user.is_demo = True
    demo.user.save(update_fields=["is_demo"])
    client = Client()
    sign_in_with_password(client, demo.user.email)
    assert client.get("/").status_code == 200
    with override_settings(DEMO_MODE=False):
        response = client.get("/")
        assert response.status_code == 302 and "/accounts/2fa/totp/activate" in response["Location"]


def test_non_demo_user_never_skips_even_in_demo_mode(care_coordinator_org: Organization) -> None:
    real = make_persona(
        email="real@cedar.test", role="csey_advocate", organization=care_coordinator_org, with_mfa=False
    )
    with override_settings(DEMO_MODE=True):
        client = Client()
        sign_in_with_password(client, real.user.email)
        response = client.get("/")
        assert response.status_code == 302 and "/accounts/2fa/totp/activate" in response["Location"]


def test_no_public_sign_up() -> None:
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "stranger@example.test",
            "password1": "x" * 20,
            "password2": "x" * 20,
        },
    )
    from threadline.accounts.models import User

    assert not User.objects.filter(email="stranger@example.test").exists()
    assert response.status_code in (200, 302, 403, 404)
