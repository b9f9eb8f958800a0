"""Template filters: youth codes in plain words, in the reader's language (issue 16, item 2)."""

from __future__ import annotations

from django import template

from threadline.youth.models import ContactWayKind

register = template.Library()


@register.filter
def contact_kind_label(code: str) -> str:
    """ "phone" -> "Phone" (a code nobody named reads as words, never as an identifier)."""
    value = str(code)
    if value in ContactWayKind.values:
        return str(ContactWayKind(value).label)
    return value.replace("_", " ")
