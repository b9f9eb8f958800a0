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


# A browser's date and date-time inputs take only ISO values (2010-11-06, 2010-11-06T14:30). Without a
# format Django writes the value in the reader's language (Spanish: 06/11/2010), which the browser drops:
# the field showed empty on a Spanish page, and saving the form then erased the date.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def date_input() -> forms.DateInput:
    """The widget of a date field: the browser's date picker, its value written as the picker reads it."""
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


def datetime_local_input() -> forms.DateTimeInput:
    """The widget of a date-and-time field: the browser's picker, its value written as the picker reads it."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME_LOCAL)
