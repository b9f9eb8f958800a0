"""The security log: every authentication event and every refused authorization, one JSON line each.

Who (user id, active organization), what (event), where (client address behind the proxy, the route
*name*, never the URL: a URL may carry a youth id or a search term), when (UTC with offset, added by the
formatter). Never a youth's data, never a password or a code. E-mail addresses typed at sign-in are staff
identifiers and are logged so a lockout can be explained; they are not youth data.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from django.http import HttpRequest

logger = logging.getLogger("threadline.security")


def route_name(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return str(match.view_name)
    try:
        from django.urls import Resolver404, resolve

        return str(resolve(request.path_info).view_name or "-")
    except Resolver404:
        return "unresolved"


def log_event(
    event: str, *, request: HttpRequest | None = None, level: int = logging.WARNING, **fields: Any
) -> None:
    from threadline.accounts.network import client_ip

    data: dict[str, Any] = {"event": event}
    if request is not None:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            data.setdefault("user_id", user.pk)
        membership = getattr(request, "membership", None)
        if membership is not None:
            data.setdefault("organization_id", membership.organization_id)
        data["ip"] = client_ip(request)
        data["route"] = route_name(request)
        data["method"] = request.method
    data.update({k: v for k, v in fields.items() if v is not None})
    logger.log(level, json.dumps(data, sort_keys=True, default=str))


class UTCFormatter(logging.Formatter):
    """Log times in UTC with an explicit offset, e.g. 2026-12-01T17:20:03.512+00:00."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}+00:00"


class JSONFormatter(UTCFormatter):
    """One JSON object per line, for a log collector (file or syslog)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        payload: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
        }
        try:
            parsed = json.loads(message)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            payload.update(parsed)
        else:
            payload["message"] = message
        return json.dumps(payload, sort_keys=True, default=str)
