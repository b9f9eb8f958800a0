"""One error contract for the whole API: every refusal or mistake answers the same body (``Error``)
with the same status for the same situation, whichever room's router raised it.

- 400 the body cannot be parsed (not JSON, too deeply nested...)
- 401 not signed in
- 403 not allowed, where the object is not youth data
- 404 missing, and forbidden youth data (every route under a youth id, and every route of a router that
  declares itself youth data with ``router.add_decorator(youth_data, mode="view")``): the two look
  exactly alike
- 405 the address does not take this method (an id that names a fixed sibling route, ``/youth/search``
  asked as ``/youth/{youth_id}``, reaches that route); the ``Allow`` header lists what it takes
- 409 conflict: an edit based on an old version (``current_version`` and ``theirs`` say what is there now)
- 413 the body is too large
- 422 the body parsed but a field is wrong (``errors`` lists each field's path and message)

Routers raise (``Http404``, ``PermissionDenied``, ``ValidationError``, ``Conflict``); the handlers
here answer. django-ninja answers a method a route does not take itself, before any handler, with a
plain-text 405: ``method_not_allowed_as_error`` gives it the same body. ``document_errors`` documents the
answers on every operation of the OpenAPI.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from threadline.core.errors import Conflict, EditConflict

NOT_FOUND = "Not found."


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Error(Schema):
    """The one error body of the API."""

    detail: str
    errors: list[FieldError] = []
    current_version: int | None = None
    theirs: dict[str, Any] | None = None


STATUSES = {
    400: "The body could not be read.",
    401: "Sign in first.",
    403: "Not allowed.",
    404: NOT_FOUND,
    405: "This address does not take this method.",
    409: "Conflict with what is stored.",
    413: "The body is too large.",
    422: "Some fields are not valid.",
}


# The exceptions that always answer the same status and the plain body of that status.
PLAIN_STATUSES: tuple[tuple[type[Exception], int], ...] = (
    (Http404, 404),
    (ObjectDoesNotExist, 404),
    (RequestDataTooBig, 413),
    (AuthenticationError, 401),
)


class CsrfRefused(HttpError):
    """A state-changing call with only the session cookie and no valid CSRF token: refused (403) before
    anything is looked up, so it says nothing about a youth and stays a 403 under a youth id too."""

    def __init__(self) -> None:
        super().__init__(403, "CSRF check Failed")


def _answer(api: NinjaAPI, request: HttpRequest, status: int, **body: Any) -> HttpResponse:
    body.setdefault("detail", STATUSES[status])
    return api.create_response(request, Error(**body).model_dump(exclude_defaults=True), status=status)


def youth_data(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A router decorator (``mode="view"``) for a router whose every route reads youth data that is not
    under a youth id (a service referral): a refusal there is a 404, like a missing record."""

    @functools.wraps(run)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.youth_data = True  # type: ignore[attr-defined]
        return run(request, *args, **kwargs)

    return marked


def _youth_data(request: HttpRequest) -> bool:
    """Every route under a youth id is youth data (and every route of a router marked ``youth_data``):
    a refusal there is a 404, like a missing youth."""
    if getattr(request, "youth_data", False):
        return True
    match = getattr(request, "resolver_match", None)
    return bool(match and "youth_id" in match.kwargs)


def _field_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", field], "msg": " ".join(messages), "type": "value_error"}
            for field, messages in exc.message_dict.items()
        ]
    return [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API."""

    def plain(status: int) -> Callable[[HttpRequest, Exception | type[Exception]], HttpResponse]:
        def handler(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
            return _answer(api, request, status)

        return handler

    for exc_class, status in PLAIN_STATUSES:
        api.add_exception_handler(exc_class, plain(status))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _answer(api, request, 404 if _youth_data(request) else 403)

    @api.exception_handler(DjangoValidationError)
    def invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return _answer(api, request, 422, errors=_field_errors(exc))

    @api.exception_handler(NinjaValidationError)
    def invalid_schema(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {
                "loc": [str(part) for part in err.get("loc", ())],
                "msg": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in exc.errors
        ]
        return _answer(api, request, 422, errors=errors)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        if isinstance(exc, EditConflict):
            return _answer(
                api,
                request,
                409,
                detail="Someone else saved first. Compare, then save again on the current version.",
                current_version=exc.current_version,
                theirs=exc.theirs,
            )
        detail = " ".join(exc.messages) if isinstance(exc, DjangoValidationError) else str(exc)
        return _answer(api, request, 409, detail=detail or STATUSES[409])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 403 and _youth_data(request) and not isinstance(exc, CsrfRefused):
            status = 404
        return _answer(api, request, status, detail=STATUSES.get(status, str(exc)))


def method_not_allowed_as_error(api: NinjaAPI, view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap one of the API's URL views so that django-ninja's own 405 (plain text, raised before any
    exception handler runs) answers the error contract's body, keeping its ``Allow`` header."""

    @functools.wraps(view)  # keeps ninja's csrf_exempt mark
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        answer = _answer(api, request, 405)
        answer["Allow"] = response["Allow"]
        return answer

    return answered


def _shadowed(paths: set[str]) -> set[str]:
    """The ``/x/{id}`` paths beside a fixed ``/x/name`` path: an id spelled "name" reaches the fixed
    route, which answers 405 to a method it does not take."""
    shadowed = set()
    for path in paths:
        parent, _, last = path.rstrip("/").rpartition("/")
        if last.startswith("{") and any(
            other.rstrip("/").rpartition("/")[0] == parent and "{" not in other.rstrip("/").rpartition("/")[2]
            for other in paths
        ):
            shadowed.add(path)
    return shadowed


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers (one schema) to every operation of an OpenAPI document. A route under a
    youth id never answers 403 (a refusal there is the 404 of a missing youth); 405 is documented where
    an id can name a fixed sibling route."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = Error.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(components["Error"].pop("$defs", {}))
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    shadowed = _shadowed(set(schema.get("paths", {})))
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in STATUSES.items():
                if status == 405 and path not in shadowed:
                    continue
                if status == 403 and "{youth_id}" in path:
                    responses.pop("403", None)
                    continue
                if status in (400, 413) and not operation.get("requestBody"):
                    continue
                responses[str(status)] = {"description": description, **ref}
    return schema
