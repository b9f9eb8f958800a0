"""/api/v1/youth/: the same services and selectors as the pages. Responses carry only permitted fields
(the rest are absent, not null); inputs accept only editable fields (anything else is a 422)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from threadline.access.categories import Category
from threadline.access.models import ConsentGiver, ConsentState, TeamRole
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.youth import selectors, services, sharing
from threadline.youth.fields import YOUTH_EDITABLE, category_of, youth_field_category
from threadline.youth.models import LegalStatus
from threadline.youth.policy import YouthNotFound

PREFIX = "/youth/"
router = Router(tags=["youth"])


class YouthSummary(Schema):
    id: uuid.UUID
    reference: str
    name: str | None = None
    estimated_age: int | None = None
    status: str


class AliasOut(Schema):
    kind: str
    name: str


class ContactWayOut(Schema):
    kind: str
    value: str
    safe_to_contact: bool | None
    safe_to_leave_message: bool | None


class MeetingPreferenceOut(Schema):
    """How the youth prefers to be met: ways, places, what to avoid (identity, like the flags above)."""

    ways: str
    places: str
    avoid: str


class YouthOut(Schema):
    id: uuid.UUID
    reference: str
    version: int
    status: str
    shared_categories: list[str]
    estimated_age: int | None = None
    preferred_name: str | None = None
    legal_name: str | None = None
    date_of_birth: datetime.date | None = None
    gender_identity: str | None = None
    pronouns: str | None = None
    languages: list[str] | None = None
    aliases: list[AliasOut] | None = None
    contact_ways: list[ContactWayOut] | None = None
    meeting_preference: MeetingPreferenceOut | None = None
    legal_status: str | None = None
    school: str | None = None


class YouthIn(Schema):
    model_config = ConfigDict(extra="forbid")
    preferred_name: str | None = Field(None, max_length=200)
    legal_name: str | None = Field(None, max_length=200)
    date_of_birth: datetime.date | None = None
    estimated_age: int | None = Field(None, ge=0, le=30)
    gender_identity: str | None = Field(None, max_length=200)
    pronouns: str | None = Field(None, max_length=60)
    languages: list[str] | None = None
    legal_status: LegalStatus | None = None
    school: str | None = Field(None, max_length=200)


class YouthPatch(YouthIn):
    version: int


class TeamIn(Schema):
    model_config = ConfigDict(extra="forbid")
    organization_id: int
    role: TeamRole


class ConsentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    organization_id: int
    categories: list[Category] = Field(..., min_length=1)
    purpose: str = Field(..., max_length=300)
    given_by: ConsentGiver
    guardian_id: uuid.UUID | None = None
    minor_may_consent_alone: bool = False
    starts_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None
    state: ConsentState = ConsentState.GRANTED


class CreatedOut(Schema):
    id: str


class ConsentOut(Schema):
    id: uuid.UUID
    organization_id: int
    categories: list[str]
    purpose: str
    state: str
    starts_at: datetime.datetime
    expires_at: datetime.datetime


def _membership(request: HttpRequest) -> Any:
    return getattr(request, "membership", None)


def _out(record: selectors.YouthRecord) -> dict[str, Any]:
    y = record.youth
    out: dict[str, Any] = {
        "id": y.pk,
        "reference": y.reference,
        "version": y.version,
        "status": y.status,
        "shared_categories": sorted(c for c in record.opened.categories if c != Category.RECORD),
    }
    # Each of the youth's own fields, where the one field map's category for it is open.
    for name in YOUTH_EDITABLE:
        if record.allows(youth_field_category(name)):
            out[name] = getattr(y, name)
    if record.allows(category_of("youth.Alias", "name")):
        out["aliases"] = [{"kind": a.kind, "name": a.name} for a in record.aliases]
    if record.allows(category_of("youth.ContactWay", "value")):
        out["contact_ways"] = [
            {
                "kind": w.kind,
                "value": w.value,
                "safe_to_contact": w.safe_to_contact,
                "safe_to_leave_message": w.safe_to_leave_message,
            }
            for w in record.contact_ways
        ]
    if record.allows(category_of("youth.MeetingPreference", "ways")):
        meeting = record.meeting
        out["meeting_preference"] = (
            {"ways": meeting.ways, "places": meeting.places, "avoid": meeting.avoid} if meeting else None
        )
    return out


class SearchIn(Schema):
    model_config = ConfigDict(extra="forbid")
    q: str = Field(..., min_length=1, max_length=200)


@router.get("/", response=list[YouthSummary])
def list_youth(request: HttpRequest) -> list[dict[str, Any]]:
    return _summaries(selectors.youth_caseload(membership=_membership(request)))


@router.post("/search", response=list[YouthSummary])
def search_youth(request: HttpRequest, payload: SearchIn) -> list[dict[str, Any]]:
    """Search by name, other name, date of birth or phone. POST, so the words never sit in a URL."""
    return _summaries(selectors.youth_search(membership=_membership(request), query=payload.q))


def _summaries(rows: list[selectors.ListedYouth]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.youth.pk,
            "reference": r.youth.reference,
            "name": r.display_name if r.show_name else None,
            "estimated_age": r.youth.estimated_age if r.show_name else None,
            "status": r.youth.status,
        }
        for r in rows
    ]


@router.post("/", response={201: YouthOut})
def create_youth(request: HttpRequest, payload: YouthIn) -> Status[Any]:
    youth = services.youth_create(membership=_membership(request), **payload.model_dump(exclude_unset=True))
    return Status(
        201,
        _out(
            selectors.youth_record(membership=_membership(request), youth_id=youth.pk, purpose="api create")
        ),
    )


@router.get("/{youth_id}", response={200: YouthOut}, exclude_none=True)
def get_youth(request: HttpRequest, youth_id: str) -> Status[Any]:
    record = selectors.youth_record(membership=_membership(request), youth_id=youth_id, purpose="api read")
    return Status(200, _out(record))


@router.patch("/{youth_id}", response={200: YouthOut}, exclude_none=True)
def patch_youth(request: HttpRequest, youth_id: str, payload: YouthPatch) -> Status[Any]:
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    m = _membership(request)
    opened = services.youth_update(membership=m, youth_id=youth_id, version=version, changes=changes)
    # The record as saved, from the same opening (one ledger row for the whole request).
    return Status(200, _out(selectors.youth_sections(membership=m, opened=opened)))


@router.post("/{youth_id}/team", response={201: CreatedOut})
def add_team_member(request: HttpRequest, youth_id: str, payload: TeamIn) -> Status[Any]:
    member = sharing.care_team_add(
        membership=_membership(request),
        youth_id=youth_id,
        organization_id=payload.organization_id,
        role=payload.role,
    )
    return Status(201, {"id": str(member.pk)})


@router.get("/{youth_id}/consents", response={200: list[ConsentOut]})
def list_consents(request: HttpRequest, youth_id: str) -> Status[Any]:
    m = _membership(request)
    if not may(m, Action.MANAGE_SHARING):
        raise YouthNotFound
    record = selectors.youth_record(membership=m, youth_id=youth_id, purpose="api consents")
    return Status(
        200,
        [
            {
                "id": c.pk,
                "organization_id": c.organization_id,
                "categories": c.category_list,
                "purpose": c.purpose,
                "state": c.state,
                "starts_at": c.starts_at,
                "expires_at": c.expires_at,
            }
            for c in record.consents
        ],
    )


@router.post("/{youth_id}/consents", response={201: CreatedOut})
def record_consent(request: HttpRequest, youth_id: str, payload: ConsentIn) -> Status[Any]:
    consent = sharing.consent_record(
        membership=_membership(request), youth_id=youth_id, **payload.model_dump()
    )
    return Status(201, {"id": str(consent.pk)})


@router.post("/{youth_id}/consents/{consent_id}/revoke", response={204: None})
def revoke_consent(request: HttpRequest, youth_id: str, consent_id: uuid.UUID) -> Status[Any]:
    sharing.consent_revoke(membership=_membership(request), youth_id=youth_id, consent_id=consent_id)
    return Status(204, None)
