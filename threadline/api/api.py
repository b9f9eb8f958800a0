"""The JSON API at /api/v1/. Each app with an ``api.py`` that defines ``router`` (and ``PREFIX``) is
mounted here; handlers call the same services and selectors as the HTML views."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, ValidationError

from threadline.api.auth import SessionAuth, TokenAuth, acting_membership

api = NinjaAPI(
    title="Threadline API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)


class MeOut(Schema):
    email: str
    full_name: str
    organization: str | None
    organization_id: int | None
    role: str | None
    language: str


@api.get("/me", response=MeOut, tags=["accounts"])
def me(request: HttpRequest) -> MeOut:
    membership = acting_membership(request)
    user = request.user
    return MeOut(
        email=user.email,  # type: ignore[union-attr]
        full_name=user.full_name,  # type: ignore[union-attr]
        organization=membership.organization.name if membership else None,
        organization_id=membership.organization_id if membership else None,
        role=membership.role if membership else None,
        language=user.preferred_language,  # type: ignore[union-attr]
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Malformed input is the caller's mistake: 422 with what was wrong, never a 500.
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Unauthorized"}, status=401)


def _mount_app_routers() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("threadline.") or config.label == "api":
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "PREFIX", f"/{config.label}/"), router)


_mount_app_routers()
