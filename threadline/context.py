"""Per-request facts the ledger needs (request id, client IP) without threading them through every call."""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass

_current: contextvars.ContextVar[RequestFacts | None] = contextvars.ContextVar(
    "threadline_request", default=None
)


@dataclass(frozen=True)
class RequestFacts:
    request_id: str
    ip: str | None


def set_request(facts: RequestFacts | None) -> contextvars.Token[RequestFacts | None]:
    return _current.set(facts)


def reset_request(token: contextvars.Token[RequestFacts | None]) -> None:
    _current.reset(token)


def current_request() -> RequestFacts | None:
    return _current.get()


class RequestIdLogFilter(logging.Filter):
    """Adds the request id to every log line, so support can follow a request without any names in logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        facts = _current.get()
        record.request_id = facts.request_id if facts else "-"
        return True
