"""Issue 13, pushed duties: a consent ending within 14 days reminds the youth's care coordinator, once,
with a fixed sentence; the Today page lists it by record code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from tests.conftest import Persona
from threadline.intake import duties
from threadline.intake.models import ConsentReminder
from threadline.intake.notify import message_text
from threadline.youth.models import Youth
from threadline.youth.services import household_member_add
from threadline.youth.sharing import care_team_add, consent_record

pytestmark = pytest.mark.django_db


def test_a_consent_ending_in_14_days_reminds_the_care_coordinator_once(
    youth: Youth,
    coordinator: Persona,
    dfps_caseworker: Persona,
    client_for: Callable[[Persona], Client],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    care_team_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=coordinator.organization.pk,
        role="care_coordinator",
        person_id=coordinator.user.pk,
    )
    guardian = household_member_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        name="Guardian (fictional)",
        relationship="aunt",
        is_guardian=True,
        is_non_offending_caregiver=True,
    )
    now = timezone.now()
    consent = consent_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=dfps_caseworker.organization.pk,
        categories=["case_notes"],
        purpose="coordinate services",
        given_by="parent_guardian",
        guardian_id=guardian.pk,
        expires_at=now + timedelta(days=20),
    )
    soon = consent_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=dfps_caseworker.organization.pk,
        categories=["care_plan"],
        purpose="coordinate services",
        given_by="parent_guardian",
        guardian_id=guardian.pk,
        expires_at=now + timedelta(days=10),
    )
    mail.outbox.clear()
    now = timezone.now()  # after the consents started
    with django_capture_on_commit_callbacks(execute=True):
        assert duties.consents_ending_remind(now=now) == [str(soon.pk)]  # 20 days away: not yet
        assert duties.consents_ending_remind(now=now + timedelta(minutes=1)) == []  # once
        assert duties.consents_ending_remind(now=now + timedelta(days=7)) == [str(consent.pk)]
    assert [m.to for m in mail.outbox] == [[coordinator.user.email]] * 2
    assert str(mail.outbox[0].body) == message_text("consent_ending", coordinator.user.preferred_language)
    assert list(ConsentReminder.objects.values_list("recipients", flat=True)) == [1, 1]
    html = client_for(coordinator).get("/care/today").content.decode()
    assert youth.reference in html
    assert "Marisol" not in html  # initials only: "M."
    assert f"{youth.reference} · M." in html
