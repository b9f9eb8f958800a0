"""What a person typed into a required box of an intake form."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def said(value: str, *, field: str, limit: int, missing: str) -> str:
    """``value`` trimmed and cut to ``limit`` characters; an empty box is refused with ``missing``
    beside ``field``."""
    value = value.strip()[:limit]
    if not value:
        raise ValidationError({field: missing})
    return value
