"""Form fields the pages of every room declare the same way."""

from __future__ import annotations

from typing import Any

from django import forms


def checkboxes(label: Any, choices: Any, **kwargs: Any) -> forms.MultipleChoiceField:
    """Pick any number of options, none required (a list of checkboxes)."""
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def textarea(label: Any, *, rows: int, **kwargs: Any) -> forms.CharField:
    """Free text over several lines, none required (``max_length``, ``help_text``... as for any field)."""
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def optional_choice(label: Any, choices: Any, *, blank: Any = "—", **kwargs: Any) -> forms.ChoiceField:
    """One option or none, not required: the first, empty option's words (``blank``) say what none means."""
    return forms.ChoiceField(label=label, required=False, choices=[("", blank), *choices], **kwargs)
