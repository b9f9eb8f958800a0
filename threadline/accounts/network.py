"""The one place that decides a request's client address.

Behind a reverse proxy ``REMOTE_ADDR`` is the proxy. ``TRUSTED_PROXY_COUNT`` (default 0) says how many
proxies in front of the app append to ``X-Forwarded-For``; the client is the entry that many places from
the right. Entries further left were written by the client and are never trusted. Lockout (axes),
allauth's rate limits, the intake rate limit, the access ledger and the security log all use this.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return _clean(forwarded[-count])
        # Fewer entries than proxies: the request did not come through all of them. Fall back to the
        # socket address rather than trusting anything the client wrote.
    remote = request.META.get("REMOTE_ADDR", "")
    return _clean(str(remote)) if remote else None


def client_ip_or_unknown(request: HttpRequest) -> str:
    return client_ip(request) or "0.0.0.0"  # noqa: S104 - a placeholder for "unknown", never bound to
