"""Intake over the API: eligibility (the same ``decide`` as the command line and the coordinator's
page), the inbound contacts endpoint for text, chat and e-mail gateways, and a referral's likely
youth matches and the link to one of them (the same selector and service as the referral page)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.intake import selectors
from threadline.intake.choices import Connection, Outcome
from threadline.intake.eligibility import EligibilityInputError, Question, decide
from threadline.intake.models import Contact
from threadline.intake.services.contacts import ContactInput, contact_record
from threadline.intake.services.referrals import referral_link_youth

PREFIX = "/"
router = Router(tags=["intake"])
eligibility_router = Router(tags=["intake"])
contacts_router = Router(tags=["intake"])
referrals_router = Router(tags=["intake"])


class CheckIn(Schema):
    program: str = Field(min_length=1, max_length=60)
    county: str | None = Field(default=None, max_length=80)
    zip: str | None = Field(default=None, max_length=10)
    state: str | None = Field(default=None, max_length=2)
    age: int | None = Field(default=None, ge=0, le=120, description="completed years; omit if unknown")
    date_of_birth: date | None = None
    connection: Connection | None = None
    entered_before_18: bool | None = None


class AgencyOut(Schema):
    name: str
    phone: str
    url: str
    note: str


class NextStepsOut(Schema):
    refer_out: bool
    agencies: list[AgencyOut]


class CheckOut(Schema):
    program: str
    rule_version: int | None
    decision: Outcome
    reason: str
    reason_code: str
    county: str
    state: str
    age: int | None
    connection: str
    entered_before_18: bool | None
    next_steps: NextStepsOut


@eligibility_router.post("/check", response={200: CheckOut})
def check(request: HttpRequest, payload: CheckIn) -> Status[Any]:
    """Decide eligibility under the program's current rules. Nothing is stored. The same action as
    the page (taking referrals), and only the programs of the caller's own organization: another
    organization's program answers like a missing one."""
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, Action.TAKE_REFERRALS):
        raise PermissionDenied
    program = selectors.program_for(membership=membership, slug=payload.program)
    if program is None:
        raise Http404
    question = Question(
        county=payload.county,
        zip_code=payload.zip,
        state=payload.state,
        age=payload.age,
        date_of_birth=payload.date_of_birth,
        connection=payload.connection.value if payload.connection else None,
        entered_before_18=payload.entered_before_18,
    )
    try:
        decision = decide(program, question)
    except EligibilityInputError as exc:
        raise ValidationError({exc.field: exc.message}) from exc
    return Status(200, decision.as_dict())


class ContactIn(Schema):
    channel: Contact.Channel
    message: str = Field(default="", max_length=10_000)
    sender: str = Field(default="", max_length=300, description="phone or address the message came from")
    caller_role: Contact.CallerRole = Contact.CallerRole.UNKNOWN
    anonymous: bool = True
    language: str = Field(default="en", max_length=8)
    crisis: Contact.Crisis = Contact.Crisis.NONE
    outcome: Contact.ContactOutcome = Contact.ContactOutcome.PENDING
    received_at: datetime | None = None


class ContactOut(Schema):
    id: str
    received_at: datetime
    channel: str
    outcome: str
    created: bool


@contacts_router.post(
    "/",
    response={200: ContactOut, 201: ContactOut},
    openapi_extra={
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 100},
                "description": "repeat a delivery safely: the same key returns the first contact",
            }
        ],
    },
)
def contact_create(request: HttpRequest, payload: ContactIn) -> Status[Any]:
    """Deliver one inbound message (text, chat, e-mail). 201 the first time; 200 with the same contact
    when the Idempotency-Key was seen before; 409 if that key came with a different body."""
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, Action.TAKE_REFERRALS):
        raise PermissionDenied
    data = ContactInput(**payload.model_dump())
    contact, created = contact_record(
        membership=membership, data=data, idempotency_key=request.headers.get("Idempotency-Key", "")
    )
    body = {
        "id": str(contact.pk),
        "received_at": contact.received_at,
        "channel": contact.channel,
        "outcome": contact.outcome,
        "created": created,
    }
    return Status(201 if created else 200, body)


class MatchOut(Schema):
    youth_id: str
    reference: str
    display_name: str
    age: int | None
    matched_on: list[str]  # the reasons, strongest first: "same birth date +12.5"
    probability: float  # the matcher's probability that this is the referral's young person
    band: str  # "same": offer "this is the same youth"; "review": a person decides
    may_link: bool


class MatchesOut(Schema):
    referral_id: str
    reference: str
    linked_youth_id: str | None
    matches: list[MatchOut]


class LinkIn(Schema):
    youth_id: str = Field(min_length=1, max_length=64)


class LinkOut(Schema):
    referral_id: str
    reference: str
    youth_id: str
    status: str


def _taker(request: HttpRequest) -> Any:
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, Action.TAKE_REFERRALS):
        raise PermissionDenied
    return membership


@referrals_router.get("/{referral_id}/matches", response={200: MatchesOut})
def referral_matches(request: HttpRequest, referral_id: str) -> Status[Any]:
    """Youth records that may be the referral's young person, among those this person may identify,
    scored by the matcher (probability, band and reasons). Reading the referral is ledgered, and so is each
    youth shown. Searching by another name is only on the referral page: a name never goes in a URL."""
    membership = _taker(request)
    # A referral that is missing and one this person may not see answer alike.
    referral = selectors.referral_open(membership=membership, referral_id=referral_id)
    if referral is None:
        raise Http404
    found = (
        selectors.referral_youth_matches(membership=membership, referral=referral)
        if referral.youth_id is None
        else []
    )
    body = {
        "referral_id": str(referral.pk),
        "reference": referral.reference,
        "linked_youth_id": str(referral.youth_id) if referral.youth_id else None,
        "matches": [
            {
                "youth_id": str(match.youth_id),
                "reference": match.reference,
                "display_name": match.display_name,
                "age": match.age,
                "matched_on": list(match.matched_on),
                "probability": round(match.probability, 6),
                "band": match.band,
                "may_link": match.may_link,
            }
            for match in found
        ],
    }
    return Status(200, body)


@referrals_router.post("/{referral_id}/link", response={200: LinkOut})
def referral_link(request: HttpRequest, referral_id: str, payload: LinkIn) -> Status[Any]:
    """Link the referral to an existing youth record. 409 if it is already linked to another one."""
    referral = referral_link_youth(
        membership=_taker(request), referral_id=referral_id, youth_id=payload.youth_id
    )
    body = {
        "referral_id": str(referral.pk),
        "reference": referral.reference,
        "youth_id": str(referral.youth_id),
        "status": referral.status,
    }
    return Status(200, body)


router.add_router("/eligibility/", eligibility_router)
router.add_router("/contacts/", contacts_router)
# Under /intake/: /referrals/ belongs to the closed-loop service referrals app.
router.add_router("/intake/referrals/", referrals_router)
