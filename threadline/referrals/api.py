"""/api/v1/service-referrals/: the same selectors and services as the pages, answering mistakes and
refusals with the one API error contract (threadline/api/errors.py). Every route is youth data: a
referral (or youth) the caller may not see answers exactly like one that does not exist (404); a refused
move is a 422 whose ``errors`` carry the readable message; malformed input 400 or 422 (never a 500)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from threadline.api.errors import youth_data
from threadline.directory.audience import scope_for
from threadline.referrals import (
    fhir,
    provider_services,
    selectors,
    sending_services,
    services,
    work_selectors,
)

PREFIX = "/service-referrals/"
router = Router(tags=["service referrals"])
router.add_decorator(youth_data, mode="view")


class EventOut(Schema):
    at: datetime.datetime
    kind: str
    from_state: str
    to_state: str
    side: str
    organization: str | None


class ReferralOut(Schema):
    id: uuid.UUID
    youth_id: uuid.UUID | None
    youth_reference: str | None
    state: str
    state_changed_at: datetime.datetime
    need_domain: str
    service_id: str
    service_name: str
    provider: str
    sender_organization: str
    categories: list[str]
    introduced_in_person: bool
    first_appointment_on: datetime.date | None
    transport_arranged: bool
    withdrawn: bool
    missing_consent: list[str]
    events: list[EventOut]


class ProviderReferralOut(Schema):
    id: uuid.UUID
    state: str
    service_name: str
    sender_organization: str
    withdrawn: bool
    packet: dict[str, Any] | None


class DraftIn(Schema):
    model_config = ConfigDict(extra="forbid")
    youth_id: uuid.UUID
    service_id: str = Field(..., max_length=64)
    need_id: uuid.UUID | None = None
    categories: list[str] = Field(default_factory=lambda: ["identity"], max_length=20)
    notes: dict[str, str] = Field(default_factory=dict)


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    to_state: str = Field(..., max_length=30)
    reason: str = Field("", max_length=1000)


class ContactAttemptIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=1000)


class ChecklistIn(Schema):
    model_config = ConfigDict(extra="forbid")
    introduced_in_person: bool = False
    first_appointment_on: datetime.date | None = None
    transport_arranged: bool = False


class FeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")
    treated_with_respect: bool | None = None
    would_refer_again: bool | None = None
    barriers_met: list[str] = Field(default_factory=list, max_length=20)
    comment: str = Field("", max_length=500)


class SuggestIn(Schema):
    model_config = ConfigDict(extra="forbid")
    youth_id: uuid.UUID
    need_id: uuid.UUID
    zip_code: str = Field("", max_length=5, pattern=r"^(\d{5})?$")
    radius_miles: int = Field(25, ge=1, le=250)
    gender: str = Field("", max_length=30)
    access: list[str] = Field(default_factory=list, max_length=10)
    populations: list[str] = Field(default_factory=list, max_length=10)


class SuggestionOut(Schema):
    service_id: str
    name: str
    organization: str
    reason: str
    reasons: list[str]
    distance_miles: float | None
    score: float


class CapacityIn(Schema):
    model_config = ConfigDict(extra="forbid")
    service_id: str = Field(..., max_length=64)
    available: int = Field(..., ge=0, le=10_000)


def _m(request: HttpRequest) -> Any:
    return getattr(request, "membership", None)


def _link_url(request: HttpRequest) -> Any:
    return lambda raw: request.build_absolute_uri(reverse("referrals:answer", kwargs={"token": raw}))


def _out(view: work_selectors.SenderView) -> dict[str, Any]:
    r = view.referral
    return {
        "id": r.pk,
        "youth_id": r.youth_id,
        "youth_reference": r.youth.reference,
        "state": r.state,
        "state_changed_at": r.state_changed_at,
        "need_domain": r.need_domain,
        "service_id": r.directory_service_id,
        "service_name": r.service_name,
        "provider": r.provider.name,
        "sender_organization": r.sender_organization.name,
        "categories": r.categories,
        "introduced_in_person": r.introduced_in_person,
        "first_appointment_on": r.first_appointment_on,
        "transport_arranged": r.transport_arranged,
        "withdrawn": view.withdrawn,
        "missing_consent": view.missing_consent,
        "events": [
            {
                "at": e.at,
                "kind": e.kind,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "side": e.side,
                "organization": e.organization.name if e.organization else None,
            }
            for e in view.events
        ],
    }


def _provider_out(view: provider_services.ProviderView) -> dict[str, Any]:
    r = view.referral
    return {
        "id": r.pk,
        "state": r.state,
        "service_name": r.service_name,
        "sender_organization": r.sender_organization.name,
        "withdrawn": view.withdrawn,
        "packet": view.packet,
    }


def _is_provider(request: HttpRequest, referral_id: uuid.UUID) -> bool:
    return sending_services._is_provider_of(_m(request), referral_id)


@router.post("/suggestions", response={200: list[SuggestionOut]})
def suggestions(request: HttpRequest, payload: SuggestIn) -> Status[Any]:
    """Suggestions for one need of one youth (POST: a ZIP code never travels in a URL)."""
    context = selectors.need_context(
        membership=_m(request), youth_id=payload.youth_id, need_id=payload.need_id
    )
    if context.need is None:
        raise Http404
    found = selectors.suggest(
        selectors.SuggestQuery(
            service_types=selectors.NEED_SERVICE_TYPES.get(context.need.domain, ()),
            age=context.age,
            languages=tuple(context.languages),
            counties=tuple(context.counties),
            zip_code=payload.zip_code,
            radius_miles=payload.radius_miles,
            gender=payload.gender,
            access=tuple(payload.access),
            populations=tuple(payload.populations),
        ),
        scope_for(_m(request)),
    )
    return Status(
        200,
        [
            {
                "service_id": s.listing.service_id,
                "name": s.listing.name,
                "organization": s.listing.organization_name,
                "reason": s.reason,
                "reasons": s.reasons,
                "distance_miles": s.distance_miles,
                "score": round(s.score, 2),
            }
            for s in found
        ],
    )


@router.post("/", response={201: ReferralOut})
def create(request: HttpRequest, payload: DraftIn) -> Status[Any]:
    referral = services.referral_draft(membership=_m(request), **payload.model_dump())
    view = work_selectors.referral_for_sender(membership=_m(request), referral_id=referral.pk)
    return Status(201, _out(view))


@router.get("/inbox", response={200: list[ProviderReferralOut]})
def inbox(request: HttpRequest) -> Status[Any]:
    """The caller's organization's queue. Packets are read one referral at a time."""
    rows = work_selectors.inbox(membership=_m(request))
    return Status(
        200,
        [
            {
                "id": row.referral.pk,
                "state": row.referral.state,
                "service_name": row.referral.service_name,
                "sender_organization": row.referral.sender_organization.name,
                "withdrawn": row.withdrawn,
                "packet": None,
            }
            for row in rows
        ],
    )


@router.post("/capacity", response={200: dict[str, int]})
def capacity(request: HttpRequest, payload: CapacityIn) -> Status[Any]:
    available = provider_services.provider_capacity_update(
        membership=_m(request), service_id=payload.service_id, available=payload.available
    )
    return Status(200, {"available": available})


@router.get("/{referral_id}", response={200: ReferralOut | ProviderReferralOut})
def get(request: HttpRequest, referral_id: uuid.UUID) -> Status[Any]:
    """For the referring side, the referral and its history; for the provider, the packet (or only
    that it was withdrawn)."""
    m = _m(request)
    if _is_provider(request, referral_id):
        return Status(
            200,
            _provider_out(provider_services.referral_provider_open(membership=m, referral_id=referral_id)),
        )
    return Status(200, _out(work_selectors.referral_for_sender(membership=m, referral_id=referral_id)))


@router.get("/{referral_id}/fhir-task", response={200: dict[str, Any]})
def fhir_task(request: HttpRequest, referral_id: uuid.UUID) -> Status[Any]:
    """The referral as an HL7 FHIR R4 Task."""
    if _is_provider(request, referral_id):
        view = provider_services.referral_provider_open(membership=_m(request), referral_id=referral_id)
        events = work_selectors.events_of(referral=view.referral)
        return Status(200, fhir.task_resource(view.referral, events=events, youth_reference=None))
    sender = work_selectors.referral_for_sender(membership=_m(request), referral_id=referral_id)
    return Status(
        200,
        fhir.task_resource(
            sender.referral, events=sender.events, youth_reference=sender.referral.youth.reference
        ),
    )


def _act(request: HttpRequest, referral_id: uuid.UUID, service: Any, **fields: Any) -> Status[Any]:
    """Call the one service of this request for the acting membership, then answer the referral as
    the caller now sees it (a refusal is the one error body)."""
    service(membership=_m(request), referral_id=referral_id, **fields)
    return get(request, referral_id)


@router.post(
    "/{referral_id}/transitions",
    response={200: ReferralOut | ProviderReferralOut},
)
def transition(request: HttpRequest, referral_id: uuid.UUID, payload: MoveIn) -> Status[Any]:
    return _act(
        request,
        referral_id,
        sending_services.referral_transition,
        to_state=payload.to_state,
        reason=payload.reason,
        link_url=_link_url(request),
    )


@router.post(
    "/{referral_id}/contact-attempts",
    response={200: ReferralOut | ProviderReferralOut},
)
def contact_attempt(request: HttpRequest, referral_id: uuid.UUID, payload: ContactAttemptIn) -> Status[Any]:
    return _act(request, referral_id, provider_services.referral_contact_attempt, note=payload.note)


@router.put("/{referral_id}/hand-off", response={200: ReferralOut | ProviderReferralOut})
def hand_off(request: HttpRequest, referral_id: uuid.UUID, payload: ChecklistIn) -> Status[Any]:
    return _act(request, referral_id, sending_services.referral_checklist_update, **payload.model_dump())


@router.post("/{referral_id}/feedback", response={200: ReferralOut | ProviderReferralOut})
def feedback(request: HttpRequest, referral_id: uuid.UUID, payload: FeedbackIn) -> Status[Any]:
    return _act(request, referral_id, sending_services.referral_feedback_leave, **payload.model_dump())
