"""Issue 19 (V7): people see and end their other sessions; removing a factor or changing the password
ends the others; a program admin signs one person of their organization out everywhere; sign-out sends
Clear-Site-Data; an open page learns its session ended."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client

from tests.conftest import PASSWORD, Persona
from tests.totp import current_code
from threadline.accounts.services import end_sessions_of

pytestmark = pytest.mark.django_db


def sign_in(persona: Persona) -> Client:
    assert persona.totp_secret is not None
    cache.clear()  # the same TOTP code twice in one period is refused as a replay
    client = Client(HTTP_USER_AGENT="Field phone")
    step = client.post("/accounts/login/", {"login": persona.user.email, "password": PASSWORD})["Location"]
    client.post(step, {"code": current_code(persona.totp_secret)})
    assert client.get("/").status_code == 200
    return client


def test_people_see_and_end_their_other_sessions(advocate: Persona) -> None:
    office = sign_in(advocate)
    phone = sign_in(advocate)
    page = office.get("/accounts/sessions/")
    assert page.status_code == 200
    assert page.content.decode().count("Field phone") == 2
    # ASVS 7.5.2: ending sessions asks for the password again (seeing them does not).
    refused = office.post("/accounts/sessions/", {})
    assert refused.status_code == 302
    assert refused["Location"].startswith("/accounts/reauthenticate/")
    assert phone.get("/").status_code == 200  # nothing ended
    assert office.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    ended = office.post("/accounts/sessions/", {})
    assert ended.status_code == 302
    assert phone.get("/").status_code == 302
    assert office.get("/").status_code == 200


def test_removing_a_factor_ends_the_other_sessions(advocate: Persona) -> None:
    office = sign_in(advocate)
    phone = sign_in(advocate)
    office.post("/accounts/reauthenticate/", {"password": PASSWORD})
    totp = Authenticator.objects.get(user=advocate.user, type=Authenticator.Type.TOTP)
    Authenticator.objects.create(user=advocate.user, type=Authenticator.Type.WEBAUTHN, data={"name": "key"})
    response = office.post("/accounts/2fa/totp/deactivate/", {})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    assert phone.get("/").status_code == 302
    assert office.get("/").status_code == 200


def test_changing_the_password_ends_the_other_sessions(advocate: Persona) -> None:
    office = sign_in(advocate)
    phone = sign_in(advocate)
    new = "Blue-river-kettle-93"
    changed = office.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert changed.status_code == 302
    assert phone.get("/").status_code == 302
    assert office.get("/").status_code == 200


def test_program_admin_signs_one_person_out_everywhere(
    program_admin: Persona,
    advocate: Persona,
    dfps_caseworker: Persona,
    client_for: Callable[[Persona], Client],
) -> None:
    admin = client_for(program_admin)
    phone = client_for(advocate)
    assert admin.post(f"/team/{advocate.user.pk}/sign-out").status_code == 302
    assert phone.get("/").status_code == 302
    # another agency's person is "not found" and stays signed in
    theirs = client_for(dfps_caseworker)
    assert admin.post(f"/team/{dfps_caseworker.user.pk}/sign-out").status_code == 404
    assert theirs.get("/").status_code == 200


def test_sign_out_sends_clear_site_data(advocate: Persona, client_for: Callable[[Persona], Client]) -> None:
    client = client_for(advocate)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_an_open_page_learns_its_session_ended(
    advocate: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(advocate)
    assert client.get("/team/session").status_code == 204
    end_sessions_of(user=advocate.user)
    alive = client.get("/team/session")
    assert alive.status_code == 401
    htmx = client.get("/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 401
    assert htmx["HX-Redirect"].startswith("/accounts/login/")


def test_the_session_check_does_not_keep_an_idle_session_alive(
    advocate: Persona, client_for: Callable[[Persona], Client]
) -> None:
    from threadline.middleware import SESSION_LAST_SEEN

    client = client_for(advocate)
    client.get("/")
    session = client.session
    session[SESSION_LAST_SEEN] = int(session[SESSION_LAST_SEEN]) - 600
    session.save()
    stale = client.session[SESSION_LAST_SEEN]
    assert client.get("/team/session").status_code == 204
    assert client.session[SESSION_LAST_SEEN] == stale


def test_the_page_script_blanks_the_page_on_401() -> None:
    from pathlib import Path

    script = (Path(__file__).parents[2] / "threadline/static/threadline/app.js").read_text()
    assert "xhr.status === 401" in script
    assert "replaceChildren()" in script
    assert '"/team/session"' in script
