"""A service referral as an HL7 FHIR R4 Task (validated in the tests against the ``fhir.resources``
R4B models). ``status`` is FHIR's; ``businessStatus`` carries Threadline's own state. The youth is
named only by the record code, and only to a caller on the referring side."""

from __future__ import annotations

from typing import Any

from threadline.referrals.models import ReferralEvent, ServiceReferral
from threadline.referrals.states import FHIR_STATUS, ReferralState

SYSTEM = "https://threadline.example.org/fhir"
STATE_SYSTEM = f"{SYSTEM}/CodeSystem/service-referral-state"


def _instant(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def task_resource(
    referral: ServiceReferral, *, events: list[ReferralEvent], youth_reference: str | None
) -> dict[str, Any]:
    state = ReferralState(referral.state)
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "identifier": [{"system": f"{SYSTEM}/service-referral", "value": str(referral.pk)}],
        "status": FHIR_STATUS[state],
        "businessStatus": {
            "coding": [{"system": STATE_SYSTEM, "code": state.value, "display": str(state.label)}],
            "text": str(state.label),
        },
        "intent": "order",
        "code": {"text": "Service referral"},
        "description": f"Referral for a {referral.need_domain.replace('_', ' ')} need to {referral.service_name}",
        "authoredOn": _instant(referral.created_at),
        "lastModified": _instant(referral.state_changed_at),
        "requester": {"display": referral.sender_organization.name},
        "owner": {
            "display": referral.provider.name,
            "identifier": {
                "system": f"{SYSTEM}/directory-organization",
                "value": referral.directory_organization_id,
            },
        },
        "focus": {
            "identifier": {"system": f"{SYSTEM}/directory-service", "value": referral.directory_service_id},
            "display": referral.service_name,
        },
    }
    if youth_reference:
        task["for"] = {"identifier": {"system": f"{SYSTEM}/youth-reference", "value": youth_reference}}
    last_reason = next(
        (
            e.reason
            for e in reversed(events)
            if e.kind == "state" and e.to_state == referral.state and e.reason
        ),
        "",
    )
    if last_reason and state in (
        ReferralState.DECLINED_BY_PROVIDER,
        ReferralState.DECLINED_BY_YOUTH,
        ReferralState.CANCELLED,
    ):
        task["statusReason"] = {"text": last_reason}
    if referral.sent_at:
        task["executionPeriod"] = {"start": _instant(referral.sent_at)}
        if state in (ReferralState.COMPLETED,):
            task["executionPeriod"]["end"] = _instant(referral.state_changed_at)
    history = [
        {
            "system": STATE_SYSTEM,
            "code": e.to_state,
            "display": f"{_instant(e.at)} {e.side}",
        }
        for e in events
        if e.kind == "state"
    ]
    if history:
        task["extension"] = [
            {
                "url": f"{SYSTEM}/StructureDefinition/state-history",
                "valueCodeableConcept": {"coding": history, "text": "state history"},
            }
        ]
    return task
