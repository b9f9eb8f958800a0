"""Shared fixtures: named personas from different agencies, each signed in with a second factor."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from pytest_django import DjangoDbBlocker

from tests.factories.accounts import MembershipFactory, OrganizationFactory, UserFactory
from threadline.accounts.models import Membership, Organization, User
from threadline.core.roles import OrganizationType, Role

PASSWORD = "correct horse battery staple"

# The browser suite (tests/e2e) needs Playwright and Debian's Chromium: only `make e2e` runs it.
collect_ignore = [] if os.environ.get("THREADLINE_E2E") == "1" else ["e2e"]


@pytest.fixture(autouse=True, scope="session")
def _database_vendor_is_the_one_asked_for(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """CI sets REQUIRE_DATABASE_VENDOR so that a run meant for PostgreSQL can never pass on SQLite."""
    wanted = os.environ.get("REQUIRE_DATABASE_VENDOR")
    if wanted:
        assert connection.vendor == wanted, f"tests ran on {connection.vendor}, CI asked for {wanted}"


_LEDGER_TRIGGERS_DROPPED = False


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language() -> Iterator[None]:
    """A test that activates Spanish (a service called outside a request) must not leave it active for
    the next test in the same worker: messages would then be compared in the wrong language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _ledger_flushable_on_sqlite(request: pytest.FixtureRequest) -> None:
    """SQLite's ledger triggers refuse DELETE, and Django empties the tables of a transactional test
    with DELETE (PostgreSQL with TRUNCATE, which the owner may do): such a test runs without them. Any
    other test gets them back, inside its own transaction."""
    global _LEDGER_TRIGGERS_DROPPED
    marker = request.node.get_closest_marker("django_db")
    if marker is None or connection.vendor != "sqlite":
        return
    from threadline.audit.append_only import sqlite_create, sqlite_drop

    transactional = marker.kwargs.get("transaction", False) or "transactional_db" in request.fixturenames
    with connection.cursor() as cursor:
        if transactional:
            sqlite_drop(cursor)
            _LEDGER_TRIGGERS_DROPPED = True
        elif _LEDGER_TRIGGERS_DROPPED:
            sqlite_create(cursor)


@dataclass
class Persona:
    user: User
    membership: Membership
    totp_secret: str | None

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    def speaks(self, language: str) -> None:
        """Store the language the person chose: for a signed-in person it is the one the pages and the
        API answer in (``UserLanguageMiddleware``), whatever the browser asks."""
        self.user.preferred_language = language
        self.user.save(update_fields=["preferred_language"])


def make_persona(
    *, email: str, role: str, organization: Organization, with_mfa: bool = True, full_name: str = ""
) -> Persona:
    user = UserFactory(email=email, full_name=full_name or email.split("@")[0].title())
    membership = MembershipFactory(user=user, organization=organization, role=role)
    secret = None
    if with_mfa:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    return Persona(user=user, membership=membership, totp_secret=secret)


@pytest.fixture
def care_coordinator_org(db: None) -> Organization:
    return OrganizationFactory(
        name="Cedar Hollow Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )


@pytest.fixture
def dfps_org(db: None) -> Organization:
    return OrganizationFactory(name="Sagebrush DFPS Unit", org_type=OrganizationType.DFPS_TRAFFICKING)


@pytest.fixture
def probation_org(db: None) -> Organization:
    return OrganizationFactory(name="Juniper County Probation", org_type=OrganizationType.JUVENILE_PROBATION)


@pytest.fixture
def coordinator(care_coordinator_org: Organization) -> Persona:
    """Nadia, care coordinator at the regional advocacy center."""
    return make_persona(
        email="nadia@cedar.test", role=Role.CARE_COORDINATOR, organization=care_coordinator_org
    )


@pytest.fixture
def advocate(care_coordinator_org: Organization) -> Persona:
    """Tomas, CSEY advocate at the advocacy center."""
    return make_persona(email="tomas@cedar.test", role=Role.CSEY_ADVOCATE, organization=care_coordinator_org)


@pytest.fixture
def supervisor(care_coordinator_org: Organization) -> Persona:
    """Ines, supervisor at the advocacy center."""
    return make_persona(email="ines@cedar.test", role=Role.SUPERVISOR, organization=care_coordinator_org)


@pytest.fixture
def program_admin(care_coordinator_org: Organization) -> Persona:
    """Walt, program admin at the advocacy center."""
    return make_persona(email="walt@cedar.test", role=Role.PROGRAM_ADMIN, organization=care_coordinator_org)


@pytest.fixture
def auditor(care_coordinator_org: Organization) -> Persona:
    return make_persona(email="odile@cedar.test", role=Role.AUDITOR, organization=care_coordinator_org)


@pytest.fixture
def dfps_caseworker(dfps_org: Organization) -> Persona:
    """Bea, caseworker at the state child-welfare agency's trafficking unit (a partner)."""
    return make_persona(email="bea@sagebrush-dfps.test", role=Role.PARTNER_STAFF, organization=dfps_org)


@pytest.fixture
def probation_officer(probation_org: Organization) -> Persona:
    """Lou, juvenile probation officer (a partner)."""
    return make_persona(
        email="lou@juniper-probation.test", role=Role.PARTNER_STAFF, organization=probation_org
    )


ClientFor = Callable[[Persona], Client]
"""The type of the `client_for` fixture."""


@pytest.fixture
def client_for() -> ClientFor:
    """A test client signed in as the persona, second factor already set up."""

    def make(persona: Persona) -> Client:
        client = Client()
        client.force_login(persona.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        if persona.totp_secret is not None:
            record_factor_used(client, persona.user)
        return client

    return make


def record_factor_used(client: Client, user: User) -> None:
    """What allauth writes into the session when the second factor is entered at sign-in: the
    middleware ends any session of a person with a factor that has no such record (issue 9 item 2)."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def has_second_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
