"""Reading an id that came from a form, a URL or an API body: never a 500 for a malformed one."""

from __future__ import annotations

import uuid
from typing import Any


def uuid_or_none(value: Any) -> Any:
    """The UUID, or None when the value is not one (a filter on None finds nothing: a 404 for the
    caller). Typed Any so that it goes straight into a pk lookup."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def uuid_or_raise(value: Any, missing: type[Exception]) -> uuid.UUID:
    """The UUID, or ``missing`` raised: a malformed id answers exactly like a row that is not there
    (the caller's 404)."""
    pk = uuid_or_none(value)
    if pk is None:
        raise missing
    return pk


def int_or_zero(value: Any) -> int:
    """The integer id, or 0 when the value is not one: no row has it, so a lookup finds nothing (a 404
    or a refusal for the caller), never a 500."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
