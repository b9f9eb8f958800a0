"""Forms for service referrals. Few required fields; what was typed is kept when something is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from threadline.access.categories import Category
from threadline.access.models import ConsentGiver
from threadline.core.formfields import checkboxes, date_input
from threadline.directory.forms import ANY, COUNTY_CHOICES, RADIUS_CHOICES, near_zip_code
from threadline.directory.taxonomy import ACCESS, GENDERS, LANGUAGES, POPULATIONS, choices

# The packet always carries the need (care plan); these may be added when released.
EXTRA_CATEGORIES = [(c.value, c.label) for c in Category if c not in (Category.RECORD, Category.CARE_PLAN)]
YES_NO = [("", _("Not sure")), ("yes", _("Yes")), ("no", _("No"))]


def to_null_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _five_digits(value: str) -> str:
    value = (value or "").strip()
    if value and (len(value) != 5 or not value.isdigit()):
        raise forms.ValidationError(_("Enter a five-digit ZIP code."))
    return value


def _few_lines(label: Any, max_length: int) -> forms.CharField:
    """A few optional lines of the person's own words."""
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=forms.Textarea(attrs={"rows": 2})
    )


class SuggestForm(forms.Form):
    need = forms.ChoiceField(label=_("Need"))
    zip_code = near_zip_code()
    radius = forms.TypedChoiceField(
        label=_("Within (miles)"), required=False, choices=RADIUS_CHOICES, coerce=int, initial=25
    )
    county = forms.ChoiceField(label=_("County"), required=False, choices=ANY + COUNTY_CHOICES)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    languages = checkboxes(_("Languages"), choices(LANGUAGES))
    gender = forms.ChoiceField(label=_("Gender served"), required=False, choices=ANY + choices(GENDERS))
    access = checkboxes(_("Without these barriers"), choices(ACCESS))
    populations = checkboxes(_("Specializations that matter"), choices(POPULATIONS))

    def __init__(self, *args: Any, needs: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = needs or []  # type: ignore[attr-defined]

    def clean_zip_code(self) -> str:
        return _five_digits(str(self.cleaned_data.get("zip_code") or ""))


class PacketForm(forms.Form):
    categories = checkboxes(_("Also share (only what the youth released to this provider)"), EXTRA_CATEGORIES)
    note_care_plan = _few_lines(_("About the need"), 1000)
    follow_up_by = forms.TypedChoiceField(label=_("Who follows up"), coerce=int)

    def __init__(self, *args: Any, people: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_up_by"].choices = people or []  # type: ignore[attr-defined]
        for value, label in EXTRA_CATEGORIES:
            self.fields[f"note_{value}"] = _few_lines(_("Note: %(category)s") % {"category": label}, 1000)

    def notes(self) -> dict[str, str]:
        return {
            name.removeprefix("note_"): str(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("note_") and value
        }


class ReleaseForm(forms.Form):
    """The release this referral asks for: to this provider, for the packet's categories. Recorded
    with the same consent service as every other release."""

    given_by = forms.ChoiceField(label=_("Who gave consent"), choices=ConsentGiver.choices)
    guardian = forms.ChoiceField(label=_("Adult who signed"), required=False)
    minor_may_consent_alone = forms.BooleanField(label=_("The minor may consent alone"), required=False)
    expires_on = forms.DateField(label=_("Until"), widget=date_input())
    signed_form_name = forms.CharField(
        label=_("Signed paper form (reference)"), required=False, max_length=120
    )

    def __init__(self, *args: Any, household: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options: list[tuple[str, Any]] = [("", _("Nobody else"))]
        for member in household or []:
            if not member.alleged_exploiter:
                options.append((str(member.pk), f"{member.name or '—'} ({member.relationship or '—'})"))
        self.fields["guardian"].choices = options  # type: ignore[attr-defined]


class ChecklistForm(forms.Form):
    introduced_in_person = forms.BooleanField(label=_("Introduced in person"), required=False)
    first_appointment_on = forms.DateField(label=_("First appointment"), required=False, widget=date_input())
    transport_arranged = forms.BooleanField(label=_("Transport arranged"), required=False)


class MoveForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class ContactAttemptForm(forms.Form):
    note = _few_lines(_("How you tried (no names)"), 1000)


class FeedbackForm(forms.Form):
    treated_with_respect = forms.ChoiceField(
        label=_("Was the youth treated with respect?"), choices=YES_NO, required=False
    )
    would_refer_again = forms.ChoiceField(
        label=_("Would we refer to them again?"), choices=YES_NO, required=False
    )
    barriers_met = checkboxes(_("Barriers the youth met there anyway"), choices(ACCESS))
    comment = _few_lines(_("Comment about the service (no names)"), 500)


class CapacityForm(forms.Form):
    service_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    available = forms.IntegerField(label=_("Beds or places free now"), min_value=0, max_value=10_000)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = _few_lines(_("Reason (needed to decline)"), 1000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not str(data.get("reason") or "").strip():
            self.add_error("reason", _("Say why, in a few words."))
        return data


class FromListingForm(forms.Form):
    youth = forms.ChoiceField(label=_("Youth (record code)"))

    def __init__(self, *args: Any, youths: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth"].choices = youths or []  # type: ignore[attr-defined]
