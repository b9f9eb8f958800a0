"""Eligibility over the API: the same ``decide`` as the command line and the coordinator's page."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from threadline.intake.eligibility import EligibilityInputError, Question, decide, program_by_slug
from threadline.intake.models import Connection, Outcome

PREFIX = "/eligibility/"
router = Router(tags=["intake"])


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


class ErrorOut(Schema):
    detail: Any


def _errors(exc: PydanticValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": ["body", *map(str, err["loc"])], "msg": err["msg"], "type": err["type"]}
        for err in exc.errors()
    ]


@router.post(
    "/check",
    response={200: CheckOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CheckIn.model_json_schema()}},
        }
    },
)
def check(request: HttpRequest) -> Status[Any]:
    """Decide eligibility under the program's current rules. Nothing is stored. The body is parsed
    here rather than by ninja so that unparseable JSON is a 422 with a message, like any other
    malformed input."""
    try:
        raw = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return Status(
            422, {"detail": [{"loc": ["body"], "msg": "The body is not valid JSON.", "type": "json_invalid"}]}
        )
    try:
        payload = CheckIn.model_validate(raw)
    except PydanticValidationError as exc:
        return Status(422, {"detail": _errors(exc)})
    program = program_by_slug(payload.program)
    if program is None:
        return Status(404, {"detail": "No program with that slug."})
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
        return Status(
            422, {"detail": [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]}
        )
    return Status(200, decision.as_dict())
