"""The access ledger's filters (a GET form: nothing identifying goes in the URL)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from threadline.audit.labels import action_choices
from threadline.core.formfields import date_input


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.email)


class LedgerFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())
    person = PersonChoiceField(label=_("Person"), queryset=None, required=False, empty_label=_("Anyone"))
    action = forms.ChoiceField(label=_("Action"), required=False)
    youth = forms.CharField(
        label=_("Youth record code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "Y-…", "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, PersonChoiceField)
        person.queryset = people
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Any action")), *action_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
