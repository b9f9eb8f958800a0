"""Where a directory search lives between pages, so that Back (and "Back to search") keeps every filter.

Two kinds of filter, two places:

- **In the URL** (a plain GET, so the browser's Back and history restore it): filters that describe a
  service, not the person looking for one: county served, age, language, specialization, service
  type, gender served, barriers removed, serves minors, open now, capacity, radius, page. They are the
  same for everyone who needs that kind of help and say nothing about where the searcher is.
- **In the searcher's own session only**: the ZIP code (a location: rule 3, never in a URL) and the
  free-text words (anyone may type a name or a situation into them). A search that has them gets a
  random key in the URL (``s=...``) that means nothing outside that browser's session; opening the
  URL again in the same session restores them, anywhere else it restores nothing. The session keeps
  the last few searches only, and ends with the session (idle timeout, browser closed).

The search form itself is POSTed (so the ZIP code never travels in a query string), answered with a
redirect to the GET URL (post/redirect/get), or for HTMX with the results and ``HX-Push-Url``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, QueryDict

IN_URL = (
    "county",
    "radius",
    "age",
    "language",
    "population",
    "service_type",
    "gender",
    "access",
    "serves_minors",
    "open_now",
    "capacity",
)
IN_SESSION = ("zip_code", "q")
KEY = "s"
SESSION_SEARCHES = "directory_searches"
SESSION_LAST = "directory_last_search"
KEEP = 10


def _url_params(data: dict[str, Any], fields: set[str]) -> QueryDict:
    params = QueryDict(mutable=True)
    for name in IN_URL:
        if name not in fields:
            continue
        value = data.get(name)
        if value in (None, "", False, [], ()):
            continue
        if isinstance(value, list | tuple):
            params.setlist(name, [str(v) for v in value])
        elif value is True:
            params[name] = "on"
        else:
            params[name] = str(value)
    return params


def remember(request: HttpRequest, data: dict[str, Any], fields: set[str]) -> str:
    """Store this (valid) search: the sensitive part in the session, the rest as the query string.
    Returns the query string (without ``?``) of the GET URL that shows it."""
    params = _url_params(data, fields)
    private = {name: str(data.get(name) or "") for name in IN_SESSION if name in fields}
    if any(private.values()):
        searches: dict[str, dict[str, str]] = dict(request.session.get(SESSION_SEARCHES, {}))
        key = secrets.token_urlsafe(8)
        searches[key] = private
        request.session[SESSION_SEARCHES] = dict(list(searches.items())[-KEEP:])
        params[KEY] = key
    return params.urlencode()


def restore(request: HttpRequest, fields: set[str]) -> dict[str, Any] | None:
    """The form data a GET URL stands for, or None for a plain visit (no filters at all)."""
    query = request.GET
    if not any(name in query for name in (*IN_URL, KEY, "page")):
        return None
    data: dict[str, Any] = {}
    for name in IN_URL:
        if name not in fields or name not in query:
            continue
        data[name] = query.getlist(name) if name == "access" else query.get(name, "")
    private = request.session.get(SESSION_SEARCHES, {}).get(query.get(KEY, ""), {})
    for name in IN_SESSION:
        if name in fields and private.get(name):
            data[name] = private[name]
    data["page"] = query.get("page", "1")
    return data


def keep_last(request: HttpRequest, where: str, query_string: str) -> None:
    """Remember the last search URL of this directory ("public" or "staff") for "Back to search"."""
    last: dict[str, str] = dict(request.session.get(SESSION_LAST, {}))
    if last.get(where) != query_string:
        last[where] = query_string
        request.session[SESSION_LAST] = last


def last(request: HttpRequest, where: str) -> str:
    return str(request.session.get(SESSION_LAST, {}).get(where, ""))


def without_page(query_string: str) -> str:
    params = QueryDict(query_string, mutable=True)
    params.pop("page", None)
    return params.urlencode()
