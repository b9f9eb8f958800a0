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
