"""Context words a password may not contain: the product's name and every organization's name here
(a trafficker guessing a caseworker's password tries the agency's name first)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words too generic to refuse on their own; the full organization name is still refused.
GENERIC = {
    "center", "centre", "county", "office", "regional", "region", "services", "service", "department",
    "children", "childrens", "advocacy", "counseling", "police", "probation", "juvenile", "program",
    "family", "health", "mental", "district", "attorney", "school", "legal", "court", "agency",
}  # fmt: skip


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def context_words() -> set[str]:
    from threadline.accounts.models import Organization

    words = {_letters(w) for w in getattr(settings, "PASSWORD_CONTEXT_WORDS", [])}
    for name in Organization.objects.values_list("name", flat=True):
        words.add(_letters(name))
        for part in re.split(r"[^A-Za-z0-9]+", name):
            token = _letters(part)
            if len(token) >= 5 and token not in GENERIC:
                words.add(token)
    return {w for w in words if len(w) >= 4}


class ContextWordsValidator:
    def validate(self, password: str, user: Any = None) -> None:
        squashed = _letters(password)
        for word in context_words():
            if word in squashed:
                raise ValidationError(
                    _("Your password contains the name of this service or of an organization using it."),
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return _("Your password must not contain the name of this service or of an organization using it.")
