"""Agreements about to end remind the program admin: once per end date (idempotent), again after a
renewal, and as an item on the admin's home page."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from tests.factories.network import agreement
from threadline.access.categories import Category
from threadline.network.agreement_services import agreement_change, agreements_remind_expiring
from threadline.network.tasks import remind_expiring_agreements

pytestmark = pytest.mark.django_db


def test_an_agreement_ending_soon_reminds_the_program_admin_once(
    program_admin: Persona, coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona
) -> None:
    soon = agreement(
        program_admin.membership, dfps_caseworker.organization, [Category.CARE_PLAN], ends_in_days=20
    )
    agreement(
        program_admin.membership, probation_officer.organization, [Category.CARE_PLAN], ends_in_days=200
    )
    assert agreements_remind_expiring() == 1
    assert [m.to for m in mail.outbox] == [[program_admin.user.email]]  # the admin, not the coordinator
    assert "Sagebrush DFPS Unit" in mail.outbox[0].body
    assert "Juniper County Probation" not in mail.outbox[0].body
    assert agreements_remind_expiring() == 0  # idempotent
    assert remind_expiring_agreements.call_local() == 0  # the periodic task is the same work
    assert len(mail.outbox) == 1
    # Renewed to a date that is near again later: reminded again for the new end date.
    soon.refresh_from_db()
    agreement_change(
        membership=program_admin.membership,
        agreement_id=soon.pk,
        version=soon.version,
        categories=[Category.CARE_PLAN],
        signed_on=soon.signed_on,
        expires_on=timezone.localdate() + datetime.timedelta(days=40),
    )
    assert agreements_remind_expiring() == 1
    assert len(mail.outbox) == 2


def test_the_admin_home_page_names_agreements_ending_soon(
    program_admin: Persona, dfps_caseworker: Persona, coordinator: Persona, client_for: ClientFor
) -> None:
    agreement(program_admin.membership, dfps_caseworker.organization, [Category.CARE_PLAN], ends_in_days=10)
    home = client_for(program_admin).get("/").content.decode()
    assert "Partner agreements ending within 60 days: 1. Renew them or let them end." in home
    assert 'href="/network/"' in home
    partners = client_for(program_admin).get("/network/").content.decode()
    assert "Agreements ending soon" in partners
    assert "Partner agreements ending" not in client_for(coordinator).get("/").content.decode()
