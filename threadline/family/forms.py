"""Family-services forms. Needs and task states are the care room's forms (the same words)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from threadline.care.choices import ContactType, NeedDomain
from threadline.care.forms import NeedForm, TaskStateForm
from threadline.core.formfields import ISO_DATETIME_LOCAL, date_input, datetime_local_input, textarea
from threadline.family.models import FamilyReferralState

__all__ = ["NeedForm", "TaskStateForm"]

DATE = date_input()
WHEN = datetime_local_input()


class NewFamilyClientForm(forms.Form):
    household_member = forms.ChoiceField(label=_("Family member"))
    coordinator = forms.TypedChoiceField(label=_("Family Coordinator"), coerce=int)

    def __init__(
        self,
        *args: object,
        members: list[tuple[str, str]],
        coordinators: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["household_member"].choices = members  # type: ignore[attr-defined]
        self.fields["coordinator"].choices = coordinators  # type: ignore[attr-defined]


class FamilyTaskForm(forms.Form):
    title = forms.CharField(label=_("Next step"), max_length=300)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)


class FamilyNoteForm(forms.Form):
    contact_type = forms.ChoiceField(label=_("Contact"), choices=ContactType.choices)
    narrative = textarea(_("What happened"), rows=4, max_length=20000)


class FamilyMeetingForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("When"), widget=WHEN, input_formats=[ISO_DATETIME_LOCAL])
    purpose = forms.CharField(label=_("What it is about"), required=False, max_length=2000)


class FamilyReferralForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=NeedDomain.choices)
    provider_name = forms.CharField(label=_("Referred to"), max_length=200)


class FamilyReferralStateForm(forms.Form):
    referral = forms.CharField(widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("State"), choices=FamilyReferralState.choices)


class FamilyTaskStateForm(TaskStateForm):
    task = forms.CharField(widget=forms.HiddenInput)
