"""Forms of the intake hub: few required fields, plain labels, errors that keep what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from threadline.accounts.models import User
from threadline.core.formfields import (
    ISO_DATE,
    ISO_DATETIME_LOCAL,
    date_input,
    datetime_local_input,
    optional_choice,
)
from threadline.intake.choices import Connection
from threadline.intake.models import Contact, Referral, Region


class EligibilityCheckForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"))
    county = forms.CharField(label=_("County"), required=False, max_length=80)
    zip_code = forms.CharField(
        label=_("or ZIP code"), required=False, max_length=10, help_text=_("If the county is not known.")
    )
    age = forms.IntegerField(
        label=_("Age"), required=False, min_value=0, max_value=120, help_text=_("Leave empty if not known.")
    )
    connection = optional_choice(
        _("Connection to the county"), Connection.choices, blank=_("Is there now (default)")
    )
    entered_before_18 = forms.TypedChoiceField(
        label=_("Started services before 18?"),
        choices=[("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )

    def __init__(self, *args: Any, programs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = programs  # type: ignore[attr-defined]


class RulesForm(forms.Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    connections = forms.MultipleChoiceField(
        label=_("Who is served: young people who…"),
        choices=Connection.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    extension_entry_age = forms.IntegerField(
        label=_("Started services before age"),
        min_value=1,
        max_value=120,
        initial=18,
        help_text=_("Counties with a higher age for youth who started services young use this age."),
    )
    note = forms.CharField(label=_("What changed (for the history)"), required=False, max_length=300)


class CountyRuleForm(forms.Form):
    county = forms.CharField(label=_("County"), max_length=80, required=False)
    max_age = forms.IntegerField(label=_("Serves up to age"), min_value=0, max_value=120, required=False)
    extended_max_age = forms.IntegerField(
        label=_("Up to age, if they started services young"), min_value=0, max_value=120, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("county") and data.get("max_age") is None:
            self.add_error("max_age", _("Say up to what age this county is served."))
        if data.get("max_age") is not None and not data.get("county"):
            self.add_error("county", _("Name the county."))
        return data


CountyRuleFormSet = forms.formset_factory(CountyRuleForm, extra=3, max_num=300, validate_max=True)


class RegionForm(forms.Form):
    name = forms.CharField(label=_("New region"), max_length=100)


class ShiftForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        input_formats=[ISO_DATETIME_LOCAL],
        widget=datetime_local_input(),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        input_formats=[ISO_DATETIME_LOCAL],
        widget=datetime_local_input(),
    )
    primary = forms.ModelChoiceField(label=_("On call"), queryset=User.objects.none())
    backup = forms.ModelChoiceField(label=_("Backup"), queryset=User.objects.none(), required=False)
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, regions: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        for name in ("primary", "backup", "supervisor"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]


class RegionCoordinatorForm(forms.Form):
    """Issue 14: the coordinator who joins the team of a youth who moves into the region."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    coordinator = forms.ModelChoiceField(label=_("Coordinator"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, regions: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["coordinator"].queryset = people  # type: ignore[attr-defined]


class PhoneForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    sms_number = forms.CharField(
        label=_("Mobile number for urgent texts"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to stop texts to this person."),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people  # type: ignore[attr-defined]


class TestAlertForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class ReferOutDoneForm(forms.Form):
    agency = forms.CharField(label=_("Connected with"), max_length=200)


class PublicReferralForm(forms.Form):
    """The public page: one required field. Everything else may stay empty."""

    what_is_known = forms.CharField(
        label=_("What worries you? Tell us what you know. Partial is fine."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    urgent = forms.BooleanField(label=_("The young person may be in danger now or soon"), required=False)
    # Issue 13: what is happening right now, in plain words; it decides how fast the on-call answers.
    urgency = forms.ChoiceField(
        label=_("Right now, is the young person…"),
        choices=[
            ("immediate_danger", _("in danger right now")),
            ("runaway_now", _("missing or run away right now")),
            ("in_custody", _("held by police, in detention or in hospital")),
            ("other", _("none of these, or I am not sure")),
        ],
        initial="other",
        required=False,
        widget=forms.RadioSelect,
    )
    source = optional_choice(_("Who are you?"), Referral.Source.choices, blank=_("I'd rather not say"))
    youth_name = forms.CharField(
        label=_("What does the young person like to be called? (optional)"), max_length=200, required=False
    )
    youth_aliases = forms.CharField(
        label=_("Other names they go by, if any (optional)"), max_length=600, required=False
    )
    age = forms.IntegerField(
        label=_("About how old are they? (optional)"), min_value=0, max_value=120, required=False
    )
    youth_date_of_birth = forms.DateField(
        label=_("Date of birth, if you know it (optional)"),
        required=False,
        widget=date_input(),
        input_formats=[ISO_DATE, "%m/%d/%Y"],
    )
    youth_phone = forms.CharField(
        label=_("Their phone number, if you know it and it is safe to call (optional)"),
        max_length=40,
        required=False,
    )
    county = forms.CharField(
        label=_("Which county are they in, travelling to, or were harmed in? (optional)"),
        max_length=80,
        required=False,
    )
    connection = optional_choice(
        _("Their connection to that county (optional)"), Connection.choices, blank=_("Not sure")
    )
    concern = forms.ChoiceField(
        label=_("How sure are you?"),
        # Plain words for the same four answers (issue 13).
        choices=[
            (Referral.Concern.SUSPECTED, _("I have a feeling something is wrong")),
            (Referral.Concern.CLEAR_CONCERN, _("I have seen or heard something worrying")),
            (Referral.Concern.AT_HIGH_RISK, _("They are at high risk")),
            (Referral.Concern.CONFIRMED, _("I know it is happening")),
        ],
        initial=Referral.Concern.CLEAR_CONCERN,
    )
    referrer_contact = forms.CharField(
        label=_("How can we reach you? (optional: leave empty to stay anonymous)"),
        max_length=300,
        required=False,
    )
    altcha = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, first_person: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first_person = first_person
        if first_person:
            from threadline.intake.refer_wording import SELF, speak_to_the_youth

            speak_to_the_youth(self)
            self.fields["source"].initial = SELF


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happens next"),
        choices=[
            (value, label) for value, label in Referral.Status.choices if value != Referral.Status.RECEIVED
        ],
    )
    reason = forms.CharField(label=_("Reason (needed when declining)"), max_length=300, required=False)


class ContactForm(forms.Form):
    """A hotline taker records a call in under a minute: everything has a default but the channel."""

    channel = forms.ChoiceField(
        label=_("How"), choices=Contact.Channel.choices, initial=Contact.Channel.HOTLINE_CALL
    )
    caller_role = forms.ChoiceField(
        label=_("Who"), choices=Contact.CallerRole.choices, initial=Contact.CallerRole.UNKNOWN
    )
    crisis = forms.ChoiceField(label=_("Crisis"), choices=Contact.Crisis.choices, initial=Contact.Crisis.NONE)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Contact.ContactOutcome.choices, initial=Contact.ContactOutcome.INFORMATION
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("en", "English"), ("es", "Español")], initial="en"
    )
    message = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MandatoryReportForm(forms.Form):
    report = forms.IntegerField(widget=forms.HiddenInput)
    reported_to = forms.CharField(label=_("Told whom"), max_length=200)
    report_number = forms.CharField(label=_("Report number"), max_length=60, required=False)
