"""The JSON API at /api/v1/. Each app with an ``api.py`` that defines ``router`` (and ``PREFIX``) is
mounted here; handlers call the same services and selectors as the HTML views."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Schema

from threadline.api.auth import SessionAuth, TokenAuth, acting_membership
from threadline.api.errors import document_errors, method_not_allowed_as_error
from threadline.api.errors import install as install_error_handlers


class ThreadlineAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = method_not_allowed_as_error(self, pattern.callback)
        return patterns, app_name, namespace


api = ThreadlineAPI(
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


install_error_handlers(api)


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
