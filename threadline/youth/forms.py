"""Forms for the youth record. Nothing is required: a frightened youth may give no name at all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from threadline.access.categories import Category
from threadline.access.models import ConsentGiver, ConsentUse, TeamRole
from threadline.core.formfields import date_input, datetime_local_input, textarea
from threadline.youth.fields import YOUTH_EDITABLE, youth_fields_in
from threadline.youth.models import AliasKind, ConnectionKind, ContactWayKind, LegalStatus, PlacementType

GENDER_SUGGESTIONS = [
    _("Girl or woman"),
    _("Boy or man"),
    _("Transgender girl or woman"),
    _("Transgender boy or man"),
    _("Non-binary"),
    _("Two-spirit"),
    _("Questioning"),
    _("Prefers not to say"),
]
NULL_BOOL = [("", _("Not asked yet")), ("yes", _("Yes")), ("no", _("No"))]


def to_null_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def null_bool_field(label: Any) -> forms.TypedChoiceField:
    """Yes, no, or not asked yet: cleaned to True, False or None."""
    return forms.TypedChoiceField(
        label=label, choices=NULL_BOOL, coerce=to_null_bool, empty_value=None, required=False
    )


class YouthForm(forms.Form):
    preferred_name = forms.CharField(label=_("Name they want to be called"), required=False, max_length=200)
    legal_name = forms.CharField(label=_("Legal name (if known)"), required=False, max_length=200)
    date_of_birth = forms.DateField(label=_("Date of birth (if known)"), required=False, widget=date_input())
    estimated_age = forms.IntegerField(
        label=_("Age or best guess"), required=False, min_value=0, max_value=30
    )
    gender_identity = forms.CharField(
        label=_("Gender, in their words"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "gender-suggestions"}),
    )
    pronouns = forms.CharField(label=_("Pronouns"), required=False, max_length=60)
    languages = forms.CharField(
        label=_("Languages"), required=False, max_length=200, help_text=_("Separate with commas.")
    )
    legal_status = forms.ChoiceField(
        label=_("Legal status"), choices=LegalStatus.choices, initial=LegalStatus.UNKNOWN
    )
    school = forms.CharField(label=_("School"), required=False, max_length=200)


class NewYouthForm(YouthForm):
    alias = forms.CharField(label=_("Other or street name"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    phone_safe = forms.ChoiceField(
        label=_("Safe to contact on this phone?"), choices=NULL_BOOL, required=False
    )
    phone_message = forms.ChoiceField(label=_("Safe to leave a message?"), choices=NULL_BOOL, required=False)
    county = forms.CharField(label=_("County"), required=False, max_length=80)
    connection = forms.ChoiceField(
        label=_("Connection to that county"),
        choices=ConnectionKind.choices,
        initial=ConnectionKind.PHYSICALLY_PRESENT,
        required=False,
    )


class EditYouthForm(YouthForm):
    """Only the fields of categories this person may write: the others are not in the form at all
    (not pre-filled, not accepted), whatever the request carries."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, categories: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = set(youth_fields_in(categories))
        for name in YOUTH_EDITABLE:
            if name not in keep:
                del self.fields[name]


class AliasForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AliasKind.choices)


class ContactWayForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactWayKind.choices)
    value = forms.CharField(label=_("Number or address"), max_length=200)
    safe_to_contact = null_bool_field(_("Safe to contact?"))
    safe_to_leave_message = null_bool_field(_("Safe to leave a message?"))


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    relationship = forms.CharField(label=_("Relationship"), required=False, max_length=60)
    is_guardian = forms.BooleanField(label=_("Parent or legal guardian"), required=False)
    is_non_offending_caregiver = forms.BooleanField(label=_("Non-offending caregiver"), required=False)
    contact_restrictions = textarea(_("Contact restrictions"), rows=2, max_length=500)
    alleged_exploiter = forms.BooleanField(
        label=_("Alleged exploiter (never gives consent, never told anything)"), required=False
    )


class MeetingPreferenceForm(forms.Form):
    """How the youth prefers to be met. Nothing required: whatever the youth has said so far."""

    ways = textarea(
        _("Ways to meet that work for them"),
        rows=2,
        help_text=_("For example: text first, meet with a friend present, no phone calls."),
        max_length=1000,
    )
    places = textarea(_("Places they are comfortable meeting"), rows=2, max_length=1000)
    avoid = textarea(
        _("What to avoid"),
        rows=2,
        help_text=_("For example: never pick them up at a police station."),
        max_length=1000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlacementForm(forms.Form):
    placement_type = forms.ChoiceField(label=_("Placement"), choices=PlacementType.choices)
    started_on = forms.DateField(label=_("Since"), widget=date_input())
    address = forms.CharField(
        label=_("Address (location: shown only to those allowed)"), required=False, max_length=300
    )
    felt_safe = null_bool_field(_("Do they feel safe there?"))


class TeamMemberForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    role = forms.ChoiceField(label=_("Role on the team"), choices=TeamRole.choices)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from threadline.accounts.selectors import organizations

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organization"].queryset = organizations()  # type: ignore[attr-defined]


CONSENT_CATEGORY_CHOICES = [(c.value, c.label) for c in Category if c != Category.RECORD]


class ConsentForm(forms.Form):
    # Not required: a form sent without it (an older page, a script) records a release to a partner.
    use = forms.ChoiceField(
        label=_("For"), choices=ConsentUse.choices, initial=ConsentUse.SHARING, required=False
    )
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Shared with"), queryset=None, required=False
    )
    categories = forms.MultipleChoiceField(
        label=_("What may be shared"), choices=CONSENT_CATEGORY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(label=_("Why"), max_length=300)
    given_by = forms.ChoiceField(label=_("Who gave consent"), choices=ConsentGiver.choices)
    guardian = forms.ChoiceField(label=_("Adult who signed"), required=False)
    # The adult who signed may not be in the household yet: add them here (issue 16, item 10).
    signer_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    signer_relationship = forms.CharField(label=_("Relationship to the youth"), required=False, max_length=60)
    signer_is_guardian = forms.BooleanField(label=_("Parent or legal guardian"), required=False)
    signer_is_non_offending_caregiver = forms.BooleanField(label=_("Non-offending caregiver"), required=False)
    minor_may_consent_alone = forms.BooleanField(label=_("The minor may consent alone"), required=False)
    starts_on = forms.DateField(label=_("From"), required=False, widget=date_input())
    expires_on = forms.DateField(label=_("Until"), widget=date_input())
    state = forms.ChoiceField(
        label=_("Answer"),
        choices=[("granted", _("Granted")), ("refused", _("Refused")), ("pending", _("Pending"))],
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    signed_form_name = forms.CharField(
        label=_("Signed paper form (reference)"), required=False, max_length=120
    )

    def __init__(self, *args: object, household: list[object] | None = None, **kwargs: object) -> None:
        from threadline.accounts.selectors import organizations

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organization"].queryset = organizations().filter(is_care_coordinator=False)  # type: ignore[attr-defined]
        choices: list[tuple[str, Any]] = [("", _("Nobody else"))]
        for member in household or []:
            if not getattr(member, "alleged_exploiter", False):
                choices.append((str(member.pk), f"{member.name or '—'} ({member.relationship or '—'})"))  # type: ignore[attr-defined]
        self.fields["guardian"].choices = choices  # type: ignore[attr-defined]

    def clean_use(self) -> str:
        return str(self.cleaned_data.get("use") or ConsentUse.SHARING)

    def new_signer(self) -> dict[str, Any] | None:
        """The adult typed in to add to the household, or None when nobody was typed."""
        data = self.cleaned_data
        if not (data.get("signer_name", "").strip() or data.get("signer_relationship", "").strip()):
            return None
        return {
            "name": data["signer_name"],
            "relationship": data["signer_relationship"],
            "is_guardian": data["signer_is_guardian"],
            "is_non_offending_caregiver": data["signer_is_non_offending_caregiver"],
        }


class BreakGlassForm(forms.Form):
    reference = forms.CharField(label=_("Record code (e.g. Y-ABC123)"), max_length=12)
    reason = forms.CharField(
        label=_("Why is this an emergency?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class MissingStartForm(forms.Form):
    started_at = forms.DateTimeField(label=_("Missing since"), widget=datetime_local_input())


class MissingNotifyForm(forms.Form):
    episode = forms.UUIDField(widget=forms.HiddenInput)
    to = forms.ChoiceField(
        label=_("Who was told"),
        choices=[
            ("law enforcement", _("Law enforcement")),
            ("child welfare (SWI)", _("Child welfare (statewide intake)")),
            ("guardian", _("Parent or guardian")),
            ("probation", _("Probation")),
            ("NCMEC", _("NCMEC")),
            ("other", _("Other")),
        ],
    )
    at = forms.DateTimeField(label=_("When"), widget=datetime_local_input())
    reference = forms.CharField(label=_("Report number"), required=False, max_length=60)


class MissingReturnForm(forms.Form):
    episode = forms.UUIDField(widget=forms.HiddenInput)
    ended_at = forms.DateTimeField(label=_("Back since"), widget=datetime_local_input())
    debrief = textarea(_("Return debrief (optional now)"), rows=3, max_length=4000)
    roundtable = forms.BooleanField(label=_("Schedule a recovery roundtable"), required=False, initial=True)
