"""Template filters: a ledger code in plain words, in the reader's language (``audit.labels``)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from threadline.audit import labels
from threadline.audit.purposes import purpose_label as _purpose_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return labels.action_label(str(code))


@register.filter
def object_label(code: str) -> str:
    return labels.object_label(str(code))


@register.filter
def category_labels(codes: str | Iterable[str]) -> str:
    return labels.category_labels(codes)


@register.filter
def purpose_label(purpose: str) -> str:
    return _purpose_label(str(purpose))
