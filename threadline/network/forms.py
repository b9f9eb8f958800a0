"""Forms of the network pages. Few required fields; dates as dates; nothing about any youth."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from threadline.access.agreements import AgreementKind
from threadline.access.categories import Category
from threadline.accounts.models import Organization
from threadline.core.formfields import checkboxes, date_input, datetime_local_input, textarea
from threadline.network.models import CouncilMemberKind, ProgramMeetingKind, TrainingKind

SHAREABLE_CHOICES = [(c, label) for c, label in Category.choices if c != Category.RECORD]
DATE = date_input()
DATETIME = datetime_local_input()


def _partners(exclude: int | None) -> Any:
    found = Organization.objects.filter(is_active=True)
    return found.exclude(pk=exclude) if exclude is not None else found


class AgreementTermsForm(forms.Form):
    """What an agreement says, when recorded and when renewed or changed."""

    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    categories = checkboxes(_("What may be shared at most"), SHAREABLE_CHOICES)
    contacts = textarea(_("Contacts at the partner"), rows=2)
    note = textarea(_("Note"), rows=2)


class AgreementForm(AgreementTermsForm):
    partner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    field_order = ["partner", "kind"]

    def __init__(self, *args: Any, own_organization: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _partners(own_organization)  # type: ignore[attr-defined]
        self.fields["categories"].help_text = _(
            "Releases of information to this partner can never go beyond these."
        )


class AgreementChangeForm(AgreementTermsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["version"]


class MeetingScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgramMeetingKind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    scheduled_at = forms.DateTimeField(label=_("When"), widget=DATETIME)
    agenda = textarea(_("Agenda"), rows=4)


class CouncilMemberForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CouncilMemberKind.choices)
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False
    )
    name = forms.CharField(
        label=_("Name as they wish to be listed"),
        required=False,
        max_length=120,
        help_text=_("For a survivor leader or community member. A first name is enough."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _partners(None)  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    present = checkboxes(_("Who came"), [])
    minutes = textarea(
        pgettext_lazy("meeting record", "Minutes"),
        rows=8,
        help_text=_("About the program only: never write a youth's name or details here."),
    )
    decisions = textarea(_("Decisions"), rows=4)

    def __init__(self, *args: Any, members: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), str(m)) for m in members or []]  # type: ignore[attr-defined]


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("What"), max_length=300)
    owner_organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owned by"), queryset=None
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organization"].queryset = _partners(None)  # type: ignore[attr-defined]


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    audience = forms.CharField(label=_("Audience"), required=False, max_length=200)
    delivered_on = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=5, decimal_places=2)
    materials = textarea(_("Materials"), rows=2, help_text=_("Titles or links of the handouts and slides."))


class AttendanceForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    attendees = forms.IntegerField(label=_("How many people came"), min_value=1, max_value=10_000, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _partners(None)  # type: ignore[attr-defined]


class ActionPlanForm(forms.Form):
    partner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args: Any, own_organization: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _partners(own_organization)  # type: ignore[attr-defined]


class PlanItemForm(forms.Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Item"), max_length=300)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)
