"""/api/v1/service-referrals/: the same services as the pages; the FHIR Task validates against the
R4B models in every state; a provider reads the packet only while a release covers it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from fhir.resources.R4B.task import Task

from tests.conftest import Persona
from tests.referrals.conftest import Case, Draft, Release
from threadline.directory import models as dm
from threadline.referrals import sending_services
from threadline.referrals.models import ServiceReferral
from threadline.referrals.states import FHIR_STATUS
from threadline.referrals.states import ReferralState as S
from threadline.youth.sharing import consent_revoke

pytestmark = pytest.mark.django_db
API = "/api/v1/service-referrals/"

PATHS: dict[str, list[tuple[str, str]]] = {
    S.DRAFT: [],
    S.SENT: [("sender", S.SENT)],
    S.RECEIVED: [("sender", S.SENT), ("provider", S.RECEIVED)],
    S.ACCEPTED: [("sender", S.SENT), ("provider", S.ACCEPTED)],
    S.DECLINED_BY_PROVIDER: [("sender", S.SENT), ("provider", S.DECLINED_BY_PROVIDER)],
    S.DECLINED_BY_YOUTH: [("sender", S.SENT), ("sender", S.DECLINED_BY_YOUTH)],
    S.CONNECTED: [("sender", S.SENT), ("provider", S.ACCEPTED), ("provider", S.CONNECTED)],
    S.COMPLETED: [
        ("sender", S.SENT),
        ("provider", S.ACCEPTED),
        ("provider", S.CONNECTED),
        ("provider", S.COMPLETED),
    ],
    S.CANCELLED: [("sender", S.CANCELLED)],
}


@pytest.mark.parametrize("state", list(PATHS))
def test_the_fhir_task_validates_in_every_state(
    state: str,
    coordinator: Persona,
    shelter_staff: Persona,
    shelter: dm.Service,
    draft: Draft,
    release: Release,
    client_for: Callable[[Persona], Client],
) -> None:
    referral = draft(shelter)
    release(shelter_staff.organization)
    for who, to in PATHS[state]:
        persona = coordinator if who == "sender" else shelter_staff
        reason = "a reason" if to in (S.DECLINED_BY_PROVIDER, S.DECLINED_BY_YOUTH, S.CANCELLED) else ""
        sending_services.referral_transition(
            membership=persona.membership, referral_id=referral.pk, to_state=to, reason=reason
        )
    response = client_for(coordinator).get(f"{API}{referral.pk}/fhir-task")
    assert response.status_code == 200
    task = Task.model_validate(response.json())
    assert task.status == FHIR_STATUS[state]
    assert task.intent == "order"
    assert task.businessStatus is not None and task.businessStatus.coding is not None
    assert task.businessStatus.coding[0].code == state
    assert task.for_fhir is not None and task.for_fhir.identifier is not None
    assert task.for_fhir.identifier.value == referral.youth.reference


def test_expired_maps_to_failed() -> None:
    assert FHIR_STATUS[S.EXPIRED] == "failed" and set(FHIR_STATUS) == set(S.values)


def test_draft_send_and_answer_through_the_api(
    coordinator: Persona,
    shelter_staff: Persona,
    shelter: dm.Service,
    case: Case,
    release: Release,
    client_for: Callable[[Persona], Client],
) -> None:
    sender = client_for(coordinator)
    suggestions = sender.post(
        f"{API}suggestions",
        {"youth_id": str(case.youth.pk), "need_id": str(case.need.pk), "zip_code": "78205"},
        content_type="application/json",
    )
    assert suggestions.status_code == 200
    assert [s["service_id"] for s in suggestions.json()] == [shelter.id]
    bad = sender.post(f"{API}suggestions", {"youth_id": "x"}, content_type="application/json")
    assert bad.status_code == 422
    made = sender.post(
        API,
        {"youth_id": str(case.youth.pk), "service_id": shelter.id, "need_id": str(case.need.pk)},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["state"] == "draft"
    rid = made.json()["id"]
    assert made.json()["missing_consent"] == ["care_plan", "identity"]
    refused = sender.post(f"{API}{rid}/transitions", {"to_state": "sent"}, content_type="application/json")
    # The one API error contract's 422; the categories still needed stay on the referral itself.
    assert (refused.status_code, refused.json()) == (
        422,
        {
            "detail": "Some fields are not valid.",
            "errors": [
                {
                    "loc": ["body"],
                    "msg": "No active release to this provider covers: Care plan, Identity and contact. Record one first.",
                    "type": "value_error",
                }
            ],
        },
    )
    still = sender.get(f"{API}{rid}").json()
    assert (still["state"], still["missing_consent"]) == ("draft", ["care_plan", "identity"])
    consent = release(shelter_staff.organization)
    sent = sender.post(f"{API}{rid}/transitions", {"to_state": "sent"}, content_type="application/json")
    assert sent.status_code == 200 and sent.json()["state"] == "sent"
    illegal = sender.post(
        f"{API}{rid}/transitions", {"to_state": "completed"}, content_type="application/json"
    )
    assert (illegal.status_code, illegal.json()) == (
        422,
        {
            "detail": "Some fields are not valid.",
            "errors": [
                {
                    "loc": ["body"],
                    "msg": "A referral that is “Sent” cannot become “Completed”.",
                    "type": "value_error",
                }
            ],
        },
    )

    provider = client_for(shelter_staff)
    assert [row["id"] for row in provider.get(f"{API}inbox").json()] == [rid]
    read = provider.get(f"{API}{rid}")
    assert read.status_code == 200 and read.json()["packet"]["identity"]["preferred_name"] == "Paloma"
    consent_revoke(membership=coordinator.membership, youth_id=case.youth.pk, consent_id=consent.pk)
    withdrawn = provider.get(f"{API}{rid}")
    assert withdrawn.json() == {
        "id": rid,
        "state": "received",
        "service_name": "Sotol Springs Youth Shelter",
        "sender_organization": coordinator.organization.name,
        "withdrawn": True,
        "packet": None,
    }
    accept = provider.post(
        f"{API}{rid}/transitions", {"to_state": "accepted"}, content_type="application/json"
    )
    assert accept.status_code == 422
    assert ServiceReferral.objects.get(pk=rid).state == S.RECEIVED


def test_others_get_what_a_missing_referral_gets(
    coordinator: Persona,
    shelter_staff: Persona,
    dfps_caseworker: Persona,
    shelter: dm.Service,
    draft: Draft,
    release: Release,
    client_for: Callable[[Persona], Client],
) -> None:
    referral = draft(shelter)
    release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    ghost = "7f1c2b3a-0000-4000-8000-000000000001"
    partner = client_for(dfps_caseworker)  # another agency: neither sender nor provider
    for path in ("", "/fhir-task"):
        real = partner.get(f"{API}{referral.pk}{path}")
        fake = partner.get(f"{API}{ghost}{path}")
        assert (
            (real.status_code, real.json())
            == (fake.status_code, fake.json())
            == (404, {"detail": "Not found."})
        )
    move = partner.post(
        f"{API}{referral.pk}/transitions", {"to_state": "accepted"}, content_type="application/json"
    )
    # A role that may not touch referrals: the 404 of a missing referral (youth data), never a 403.
    assert (move.status_code, move.json()) == (404, {"detail": "Not found."})
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.SENT
