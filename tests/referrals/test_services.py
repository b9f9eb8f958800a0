"""Sending only what was consented; the provider's side; revocation withdraws the packet at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from tests.conftest import Persona
from tests.referrals.conftest import Case, Draft, Release, provider_org
from threadline.access.categories import Category
from threadline.directory import models as dm
from threadline.referrals import provider_services, sending_services, services
from threadline.referrals.models import ReferralEvent, ServiceReferral
from threadline.referrals.states import ReferralState as S
from threadline.youth.models import TimelineEntry
from threadline.youth.sharing import consent_revoke

pytestmark = pytest.mark.django_db


def test_sending_needs_a_release_to_the_provider_for_every_category(
    coordinator: Persona, shelter: dm.Service, shelter_staff: Persona, draft: Draft, release: Release
) -> None:
    referral = draft(
        shelter, categories=[Category.IDENTITY, Category.HEALTH], notes={"health": "asthma inhaler"}
    )
    assert referral.categories == ["care_plan", "health", "identity"]
    with pytest.raises(services.ConsentMissing) as refused:
        sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    assert refused.value.categories == ["care_plan", "health", "identity"]
    release(shelter_staff.organization, [Category.IDENTITY, Category.CARE_PLAN])
    with pytest.raises(services.ConsentMissing) as still:
        sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    assert still.value.categories == ["health"]
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.DRAFT


def test_the_packet_carries_only_consented_fields_and_safe_contact_ways(
    coordinator: Persona,
    shelter: dm.Service,
    shelter_staff: Persona,
    draft: Draft,
    release: Release,
    case: Case,
) -> None:
    referral = draft(shelter, categories=[Category.IDENTITY], notes={"health": "not consented: dropped"})
    release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    view = provider_services.referral_provider_open(
        membership=shelter_staff.membership, referral_id=referral.pk
    )
    assert view.withdrawn is False and view.packet is not None
    packet = view.packet
    assert packet["need"] == {"domain": "housing", "description": "A safe bed tonight"}
    assert packet["identity"]["preferred_name"] == "Paloma"
    assert packet["contact_ways"] == [{"kind": "phone", "value": "(210) 555-0142", "leave_message": False}]
    assert packet["notes"] == {}
    assert packet["languages"] == ["es", "en"]
    assert packet["follow_up"]["email"] == coordinator.user.email
    assert "Quintanilla" not in str(packet)  # the legal name is never in a packet
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.RECEIVED  # opening it is receiving it
    assert len(mail.outbox) == 0  # the provider has accounts: no link e-mail


def test_revocation_withdraws_the_packet_at_once(
    coordinator: Persona,
    shelter: dm.Service,
    shelter_staff: Persona,
    draft: Draft,
    release: Release,
    case: Case,
) -> None:
    referral = draft(shelter)
    consent = release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    consent_revoke(membership=coordinator.membership, youth_id=case.youth.pk, consent_id=consent.pk)
    view = provider_services.referral_provider_open(
        membership=shelter_staff.membership, referral_id=referral.pk
    )
    assert view.withdrawn is True and view.packet is None
    with pytest.raises(services.TransitionRefused):
        sending_services.referral_transition(
            membership=shelter_staff.membership, referral_id=referral.pk, to_state=S.ACCEPTED
        )
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.SENT


def test_the_loop_is_dated_attributed_and_on_the_timeline(
    coordinator: Persona,
    shelter: dm.Service,
    shelter_staff: Persona,
    draft: Draft,
    release: Release,
    case: Case,
) -> None:
    referral = draft(shelter)
    release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    for to in (S.ACCEPTED, S.CONNECTED, S.COMPLETED):
        sending_services.referral_transition(
            membership=shelter_staff.membership, referral_id=referral.pk, to_state=to
        )
    events = list(ReferralEvent.objects.filter(referral=referral, kind="state").order_by("at", "pk"))
    assert [(e.from_state, e.to_state, e.side) for e in events] == [
        ("", "draft", "sender"),
        ("draft", "sent", "sender"),
        ("sent", "accepted", "provider"),
        ("accepted", "connected", "provider"),
        ("connected", "completed", "provider"),
    ]
    assert events[2].by == shelter_staff.user and events[2].organization == shelter_staff.organization
    kinds = TimelineEntry.objects.filter(youth=case.youth, kind="service_referral").count()
    assert kinds == 5


def test_decline_needs_a_reason_and_the_sender_cannot_accept(
    coordinator: Persona, shelter: dm.Service, shelter_staff: Persona, draft: Draft, release: Release
) -> None:
    referral = draft(shelter)
    release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    with pytest.raises(services.TransitionRefused):
        sending_services.referral_transition(
            membership=shelter_staff.membership, referral_id=referral.pk, to_state=S.DECLINED_BY_PROVIDER
        )
    with pytest.raises(services.TransitionRefused) as refused:
        sending_services.referral_transition(
            membership=coordinator.membership, referral_id=referral.pk, to_state=S.ACCEPTED
        )
    assert "is not yours to record" in refused.value.messages[0]
    done = sending_services.referral_transition(
        membership=shelter_staff.membership,
        referral_id=referral.pk,
        to_state=S.DECLINED_BY_PROVIDER,
        reason="No beds for under-16s this month",
    )
    assert done.state == S.DECLINED_BY_PROVIDER


def test_a_provider_without_accounts_gets_a_single_use_link(
    coordinator: Persona,
    host_homes: dm.Service,
    draft: Draft,
    release: Release,
    django_capture_on_commit_callbacks: Any,
) -> None:
    referral = draft(host_homes)
    release(provider_org(host_homes))
    with django_capture_on_commit_callbacks(execute=True):
        sending_services.referral_send(
            membership=coordinator.membership,
            referral_id=referral.pk,
            link_url=lambda raw: f"https://t.example/r/{raw}",
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Paloma" not in body and "housing" not in body
    # A provider without an account has no language of its own: both languages, the same link in each.
    assert (
        mail.outbox[0].subject == "A referral is waiting for your answer / Una remisión espera su respuesta"
    )
    assert body.count("https://t.example/r/") == 2
    assert (
        "The link works for one answer only." in body and "El enlace sirve para una sola respuesta." in body
    )
    raw = body.split("https://t.example/r/")[1].split()[0]
    view = provider_services.referral_link_open(raw_token=raw)
    assert view is not None and view.packet is not None
    provider_services.referral_link_answer(raw_token=raw, accept=True)
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.ACCEPTED
    assert provider_services.referral_link_open(raw_token=raw) is None
    with pytest.raises(PermissionDenied):
        provider_services.referral_link_answer(raw_token=raw, accept=False, reason="again")
    assert raw not in str(
        list(ServiceReferral.objects.get(pk=referral.pk).links.values_list("token_hash", flat=True))
    )


def test_an_expired_link_is_refused(
    coordinator: Persona,
    host_homes: dm.Service,
    draft: Draft,
    release: Release,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.utils import timezone

    from threadline.referrals.models import ReferralLink

    referral = draft(host_homes)
    release(provider_org(host_homes))
    with django_capture_on_commit_callbacks(execute=True):
        sending_services.referral_send(
            membership=coordinator.membership,
            referral_id=referral.pk,
            link_url=lambda raw: f"https://t.example/r/{raw}",
        )
    raw = mail.outbox[0].body.split("https://t.example/r/")[1].split()[0]
    ReferralLink.objects.filter(referral=referral).update(expires_at=timezone.now())
    assert provider_services.referral_link_open(raw_token=raw) is None
    with pytest.raises(PermissionDenied):
        provider_services.referral_link_answer(raw_token=raw, accept=True)
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.SENT
