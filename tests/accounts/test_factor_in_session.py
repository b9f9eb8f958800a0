"""Issue 9 item 2: a session is only a session once a second factor was used in it.

The Django admin's own login form checked the password only; a superuser with TOTP enrolled got a full
session from it. Now the admin sign-in is the allauth one, and every authenticated request of a person
with a factor needs that factor to have been used (or enrolled) in this very session.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.conftest import PASSWORD, Persona, make_persona
from tests.totp import current_code
from threadline.accounts.models import Organization

pytestmark = pytest.mark.django_db


def _superuser(care_coordinator_org: Organization) -> Persona:
    persona = make_persona(email="ximena@cedar.test", role="program_admin", organization=care_coordinator_org)
    persona.user.is_staff = True
    persona.user.is_superuser = True
    persona.user.save(update_fields=["is_staff", "is_superuser"])
    return persona


def test_admin_login_page_sends_to_the_allauth_sign_in(care_coordinator_org: Organization) -> None:
    _superuser(care_coordinator_org)
    response = Client().get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_admin_login_form_post_gives_no_session(care_coordinator_org: Organization) -> None:
    admin = _superuser(care_coordinator_org)
    client = Client()
    response = client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": admin.user.email, "password": PASSWORD, "next": "/django-admin/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302
    assert client.get("/django-admin/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_password_only_session_is_ended_everywhere(care_coordinator_org: Organization) -> None:
    """However a password-only session came to be, it reaches nothing, /accounts/ included."""
    admin = _superuser(care_coordinator_org)
    for path in ["/", "/django-admin/", "/accounts/email/", "/accounts/2fa/"]:
        client = Client()
        client.force_login(admin.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path
        # and the session is gone, not merely redirected
        assert "_auth_user_id" not in client.session
    api = Client()
    api.force_login(admin.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_htmx_request_of_a_password_only_session_is_told_to_go_to_sign_in(
    care_coordinator_org: Organization,
) -> None:
    admin = _superuser(care_coordinator_org)
    client = Client()
    client.force_login(admin.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_full_allauth_sign_in_with_code_reaches_the_admin(care_coordinator_org: Organization) -> None:
    admin = _superuser(care_coordinator_org)
    client = Client()
    step = client.post("/accounts/login/", {"login": admin.user.email, "password": PASSWORD})
    assert step.status_code == 302 and "/accounts/2fa/authenticate" in step["Location"]
    assert admin.totp_secret is not None
    done = client.post(step["Location"], {"code": current_code(admin.totp_secret)})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


@override_settings(DEMO_MODE=True)
def test_demo_accounts_keep_password_only_sign_in_in_demo_mode(care_coordinator_org: Organization) -> None:
    demo = make_persona(
        email="demo-x@cedar.test", role="csey_advocate", organization=care_coordinator_org, with_mfa=False
    )
    demo.user.is_demo = True
    demo.user.save(update_fields=["is_demo"])
    client = Client()
    client.post("/accounts/login/", {"login": demo.user.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
