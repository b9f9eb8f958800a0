"""Nobody falls through, on a fake clock: no answer in 3 days and not connected in 14 remind the
person who follows up, once each; the referral shows on their My work; expiry after 30 days."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from tests.conftest import Persona
from tests.referrals.conftest import Draft, Release
from threadline.directory import models as dm
from threadline.referrals import provider_services, sending_services, work_selectors
from threadline.referrals.models import ServiceReferral
from threadline.referrals.states import ReferralState as S
from threadline.referrals.tasks import follow_up

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_reminders_on_a_fake_clock(
    coordinator: Persona,
    shelter_staff: Persona,
    shelter: dm.Service,
    draft: Draft,
    release: Release,
    django_capture_on_commit_callbacks: Any,
) -> None:
    referral = draft(shelter)
    release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    sent_at = ServiceReferral.objects.get(pk=referral.pk).sent_at
    assert sent_at is not None

    def tick(days: float) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return follow_up(now=sent_at + days * DAY)

    assert tick(2.9) == 0 and mail.outbox == []
    assert work_selectors.referrals_overdue(membership=coordinator.membership, now=sent_at + 2.9 * DAY) == []
    assert tick(3.1) == 1
    assert [m.to for m in mail.outbox] == [[coordinator.user.email]]
    assert "Paloma" not in mail.outbox[0].body and "housing" not in mail.outbox[0].body
    overdue = work_selectors.referrals_overdue(membership=coordinator.membership, now=sent_at + 3.1 * DAY)
    assert [o.referral.pk for o in overdue] == [referral.pk]
    assert tick(3.2) == 0 and len(mail.outbox) == 1  # once per wait
    assert (
        provider_services.referral_remind(referral_id=referral.pk, kind=provider_services.NO_ANSWER) is False
    )  # idempotent

    sending_services.referral_transition(
        membership=shelter_staff.membership, referral_id=referral.pk, to_state=S.ACCEPTED
    )
    assert tick(13.9) == 0
    assert tick(14.1) == 1 and len(mail.outbox) == 2
    assert tick(20) == 0
    sending_services.referral_transition(
        membership=shelter_staff.membership, referral_id=referral.pk, to_state=S.CONNECTED
    )
    assert work_selectors.referrals_overdue(membership=coordinator.membership, now=sent_at + 20 * DAY) == []
    assert tick(60) == 0
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.CONNECTED  # connected never expires


def test_an_unanswered_referral_expires(
    coordinator: Persona, shelter_staff: Persona, shelter: dm.Service, draft: Draft, release: Release
) -> None:
    referral = draft(shelter)
    release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    sent_at = ServiceReferral.objects.get(pk=referral.pk).sent_at
    assert sent_at is not None
    follow_up(now=sent_at + 29 * DAY)
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.SENT
    follow_up(now=sent_at + 31 * DAY)
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.EXPIRED


def test_a_reminder_speaks_the_language_of_the_person_who_follows_up(
    coordinator: Persona,
    shelter_staff: Persona,
    shelter: dm.Service,
    draft: Draft,
    release: Release,
    django_capture_on_commit_callbacks: Any,
) -> None:
    coordinator.user.preferred_language = "es"
    coordinator.user.save(update_fields=["preferred_language"])
    referral = draft(shelter)
    release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    sent_at = ServiceReferral.objects.get(pk=referral.pk).sent_at
    assert sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_up(now=sent_at + 3.1 * DAY) == 1
    assert mail.outbox[0].subject == "Threadline: una remisión necesita seguimiento"
    assert mail.outbox[0].body == (
        "Una remisión a un servicio lleva 3 días sin respuesta del proveedor. "
        "Inicie sesión y abra Mi trabajo para verla."
    )
