"""What a person typed, made safe to store before a service writes it: trimmed text within a limit,
one of a set of choices. Every room refuses bad input with the same plain words, beside the field
it came from (so a form or the API shows it where the person typed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def clean_text(value: str, *, field: str, required: bool = False, limit: int = 4000) -> str:
    """``value`` without surrounding white space; refused when empty but ``required``, or longer than
    ``limit`` (never cut: nothing typed is lost silently)."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Please fill this in.")})
    if len(value) > limit:
        raise ValidationError({field: _("Please keep this under %(limit)s characters.") % {"limit": limit}})
    return value


def clean_choice(value: str, choices: type[models.TextChoices], *, field: str, blank: bool = False) -> str:
    """``value`` when it is one of ``choices`` (or empty, where ``blank`` allows it); refused otherwise."""
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the options.")})
    return value
