"""What the permission-matrix tests share: the routes of the site (discovered, so a new page must be
classified or its matrix fails) and the row counts that prove a refused request changed nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver


def route_ids(route: str) -> set[str]:
    """The names of the ids a route takes: 'care/<str:youth_id>/tasks/<str:task_id>' -> both."""
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route))


def url_routes(keep: Callable[[str], bool], *, skip: tuple[str, ...] = ()) -> list[str]:
    """Every page pattern of the site, as written ('network/meetings/<int:meeting_id>'), that ``keep``
    accepts; the includes under ``skip`` (e.g. 'api/') are not entered."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if not route.startswith(skip):
                    walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and keep(route):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def routes_under(prefix: str) -> list[str]:
    return url_routes(lambda route: route.startswith(prefix))


@cache
def api_schema() -> dict[str, Any]:
    """The API's OpenAPI schema, built once per test process (building it takes about a quarter of a
    second, and the matrices ask for it once per route). Read it, never change it."""
    from threadline.api.api import api

    return dict(api.get_openapi_schema())


def api_routes(keep: Callable[[str], bool]) -> list[tuple[str, str]]:
    """(METHOD, path) of every API operation whose path ``keep`` accepts (from the OpenAPI schema)."""
    schema = api_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if keep(path)
        for method in operations
    )


def table_counts(*app_labels: str) -> dict[str, int]:
    """Rows in every table of these apps: equal before and after means nothing was written."""
    return {
        model._meta.label: model._default_manager.count()
        for label in app_labels
        for model in apps.get_app_config(label).get_models()
    }
