"""/api/v1/youth/: the same services and selectors as the pages. Responses carry only permitted fields
(the rest are absent, not null); inputs accept only editable fields (anything else is a 422)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from threadline.access.categories import Category
from threadline.core.errors import EditConflict
from threadline.youth import selectors, services, sharing
from threadline.youth.policy import YouthNotFound

PREFIX = "/youth/"
router = Router(tags=["youth"])


class Problem(Schema):
    detail: Any


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
    legal_status: str | None = None
    school: str | None = Field(None, max_length=200)


class YouthPatch(YouthIn):
    version: int


class TeamIn(Schema):
    model_config = ConfigDict(extra="forbid")
    organization_id: int
    role: str


class ConsentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    organization_id: int
    categories: list[str]
    purpose: str = Field(..., max_length=300)
    given_by: str
    guardian_id: uuid.UUID | None = None
    minor_may_consent_alone: bool = False
    starts_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None
    state: str = "granted"


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
        "estimated_age": y.estimated_age,
    }
    if record.allows(Category.IDENTITY):
        out.update(
            preferred_name=y.preferred_name,
            legal_name=y.legal_name,
            date_of_birth=y.date_of_birth,
            gender_identity=y.gender_identity,
            pronouns=y.pronouns,
            languages=y.languages,
            aliases=[{"kind": a.kind, "name": a.name} for a in record.aliases],
            contact_ways=[
                {
                    "kind": w.kind,
                    "value": w.value,
                    "safe_to_contact": w.safe_to_contact,
                    "safe_to_leave_message": w.safe_to_leave_message,
                }
                for w in record.contact_ways
            ],
        )
    if record.allows(Category.LEGAL):
        out["legal_status"] = y.legal_status
    if record.allows(Category.EDUCATION):
        out["school"] = y.school
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
            "estimated_age": r.youth.estimated_age,
            "status": r.youth.status,
        }
        for r in rows
    ]


@router.post("/", response={201: YouthOut, 403: Problem, 422: Problem})
def create_youth(request: HttpRequest, payload: YouthIn) -> Status[Any]:
    try:
        youth = services.youth_create(
            membership=_membership(request), **payload.model_dump(exclude_unset=True)
        )
    except PermissionDenied:
        return Status(403, {"detail": "Your role cannot open youth records."})
    except ValidationError as exc:
        return Status(422, {"detail": exc.message_dict})
    return Status(
        201,
        _out(
            selectors.youth_record(membership=_membership(request), youth_id=youth.pk, purpose="api create")
        ),
    )


@router.get("/{youth_id}", response={200: YouthOut, 404: Problem}, exclude_none=True)
def get_youth(request: HttpRequest, youth_id: str) -> Status[Any]:
    try:
        record = selectors.youth_record(
            membership=_membership(request), youth_id=youth_id, purpose="api read"
        )
    except YouthNotFound:
        return Status(404, {"detail": "Not Found"})
    return Status(200, _out(record))


@router.patch(
    "/{youth_id}", response={200: YouthOut, 404: Problem, 409: Problem, 422: Problem}, exclude_none=True
)
def patch_youth(request: HttpRequest, youth_id: str, payload: YouthPatch) -> Status[Any]:
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    try:
        services.youth_update(
            membership=_membership(request), youth_id=youth_id, version=version, changes=changes
        )
    except YouthNotFound:
        return Status(404, {"detail": "Not Found"})
    except EditConflict as exc:
        return Status(
            409,
            {
                "detail": {
                    "message": "Someone else saved first; nothing was changed.",
                    "current_version": exc.current_version,
                    "theirs": {k: str(v) if v is not None else None for k, v in exc.theirs.items()},
                }
            },
        )
    except ValidationError as exc:
        return Status(422, {"detail": exc.message_dict})
    return Status(
        200,
        _out(
            selectors.youth_record(membership=_membership(request), youth_id=youth_id, purpose="api update")
        ),
    )


@router.post("/{youth_id}/team", response={201: dict, 404: Problem, 422: Problem})
def add_team_member(request: HttpRequest, youth_id: str, payload: TeamIn) -> Status[Any]:
    try:
        member = sharing.care_team_add(
            membership=_membership(request),
            youth_id=youth_id,
            organization_id=payload.organization_id,
            role=payload.role,
        )
    except (YouthNotFound, PermissionDenied):
        return Status(404, {"detail": "Not Found"})
    except ValidationError as exc:
        return Status(422, {"detail": exc.message_dict})
    return Status(201, {"id": str(member.pk)})


@router.get("/{youth_id}/consents", response={200: list[ConsentOut], 404: Problem})
def list_consents(request: HttpRequest, youth_id: str) -> Status[Any]:
    m = _membership(request)
    if m is None or not m.organization.is_care_coordinator:
        return Status(404, {"detail": "Not Found"})
    try:
        record = selectors.youth_record(membership=m, youth_id=youth_id, purpose="api consents")
    except YouthNotFound:
        return Status(404, {"detail": "Not Found"})
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


@router.post("/{youth_id}/consents", response={201: dict, 404: Problem, 422: Problem})
def record_consent(request: HttpRequest, youth_id: str, payload: ConsentIn) -> Status[Any]:
    try:
        consent = sharing.consent_record(
            membership=_membership(request), youth_id=youth_id, **payload.model_dump()
        )
    except (YouthNotFound, PermissionDenied):
        return Status(404, {"detail": "Not Found"})
    except ValidationError as exc:
        return Status(422, {"detail": exc.message_dict})
    return Status(201, {"id": str(consent.pk)})


@router.post("/{youth_id}/consents/{consent_id}/revoke", response={204: None, 404: Problem})
def revoke_consent(request: HttpRequest, youth_id: str, consent_id: uuid.UUID) -> Status[Any]:
    try:
        sharing.consent_revoke(membership=_membership(request), youth_id=youth_id, consent_id=consent_id)
    except (YouthNotFound, PermissionDenied):
        return Status(404, {"detail": "Not Found"})
    return Status(204, None)
