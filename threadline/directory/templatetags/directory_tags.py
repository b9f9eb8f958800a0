from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def label_in(code: Any, labels: dict[str, Any]) -> Any:
    """A code's translated label from one of the directory's vocabularies ("" when unknown)."""
    return labels.get(str(code), "") if isinstance(labels, dict) else ""
