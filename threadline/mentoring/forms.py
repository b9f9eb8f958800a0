from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from threadline.core.formfields import date_input, textarea
from threadline.mentoring.models import MentorContactWay


class MentorContactForm(forms.Form):
    """Mobile-first: three fields, only "how" required."""

    contact_on = forms.DateField(label=_("Date"), required=False, widget=date_input())
    how = forms.ChoiceField(label=_("How"), choices=MentorContactWay.choices)
    note = textarea(_("Short note"), rows=3, max_length=1000)


class MentorAssignForm(forms.Form):
    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int)

    def __init__(self, *args: object, mentors: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["mentor"].choices = mentors  # type: ignore[attr-defined]
