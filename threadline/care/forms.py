"""Forms for care coordination. Few required fields; every message in the person's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from threadline.care.choices import (
    MEETINGS_WITHOUT_YOUTH,
    ClosureReason,
    ContactType,
    MeetingType,
    NeedDomain,
    PlanState,
    TaskState,
)
from threadline.care.measures import MEASURES, Rating
from threadline.care.stages import Stage
from threadline.core.formfields import date_input, datetime_local_input, optional_choice, textarea

DATE = date_input()


class NeedForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=NeedDomain.choices)
    description = forms.CharField(label=_("What is needed"), required=False, max_length=4000)


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=NeedDomain.choices)
    in_their_words = forms.CharField(
        label=_("The goal, in the youth's own words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ServiceForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=NeedDomain.choices)
    provider = forms.TypedChoiceField(label=_("Partner"), required=False, coerce=int, empty_value=None)
    provider_name = forms.CharField(label=_("Or another provider"), required=False, max_length=200)
    description = forms.CharField(label=_("What they provide"), required=False, max_length=4000)

    def __init__(self, *args: Any, organizations: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—"), *organizations]  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Next step"), max_length=300)
    owner = forms.ChoiceField(label=_("Who owns it"))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    domain = optional_choice(_("Domain"), NeedDomain.choices)

    def __init__(self, *args: Any, owners: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]


class PlanStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Plan state"), choices=PlanState.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=TaskState.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseNoteForm(forms.Form):
    contact_type = optional_choice(_("Contact"), ContactType.choices)
    contact_at = forms.DateTimeField(label=_("When"), required=False, widget=datetime_local_input())
    duration_minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=0, max_value=1440)
    with_whom = forms.CharField(label=_("With whom"), required=False, max_length=300)
    narrative = textarea(_("What happened"), rows=6, max_length=20000)
    sensitive = forms.BooleanField(
        label=_("Sensitive: only my organization and the care coordinator's team may read it"),
        required=False,
    )
    note_id = forms.CharField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosureReason.choices)
    aftercare = textarea(_("Aftercare plan"), rows=4, max_length=8000)


class MeetingForm(forms.Form):
    meeting_type = forms.ChoiceField(
        label=_("Type"), choices=[c for c in MeetingType.choices if c[0] not in MEETINGS_WITHOUT_YOUTH]
    )
    scheduled_at = forms.DateTimeField(label=_("When"), widget=datetime_local_input())
    duration_minutes = forms.IntegerField(
        label=_("How long (minutes)"), required=False, min_value=5, max_value=720
    )
    place = forms.CharField(
        label=_("Place (location: shown only to those allowed)"), required=False, max_length=300
    )
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    invited = forms.TypedMultipleChoiceField(
        label=_("Invited organizations"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    agenda = textarea(_("Agenda"), rows=3, max_length=8000)

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[int, str]] = (),  # type: ignore[assignment]
        shows_place: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invited"].choices = organizations  # type: ignore[attr-defined]
        if not shows_place:
            del self.fields["place"]


class MeetingRecordForm(forms.Form):
    meeting = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.TypedMultipleChoiceField(
        label=_("Organizations that came"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    notes = textarea(_("Notes"), rows=4, max_length=20000)
    decisions = textarea(_("Decisions"), rows=2, max_length=8000)

    def __init__(self, *args: Any, organizations: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = organizations  # type: ignore[attr-defined]


class ActionItemForm(TaskForm):
    meeting = forms.CharField(widget=forms.HiddenInput)


class SafetyPlanForm(forms.Form):
    risks_and_triggers = textarea(_("Risks and triggers"), rows=3, max_length=8000)
    warning_signs = textarea(_("Warning signs"), rows=3, max_length=8000)
    safe_people = textarea(_("Safe people"), rows=3, max_length=8000)
    safe_places = textarea(_("Safe places"), rows=3, max_length=8000)
    code_words = forms.CharField(label=_("Code words"), required=False, max_length=8000)
    technology_safety = textarea(_("Phone and online safety"), rows=3, max_length=8000)
    if_missing = textarea(_("If I go missing"), rows=3, max_length=8000)
    review_on = forms.DateField(label=_("Review date"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage of change"), choices=Stage.choices)
    assessed_on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)


class CheckInForm(forms.Form):
    measured_on = forms.DateField(label=_("Date"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for definition in MEASURES:
            self.fields[definition.measure.value] = forms.TypedChoiceField(
                label=str(definition.question),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Not asked")), *Rating.choices],
            )


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(label=_("Instrument file (YAML or JSON)"))
    licence_attestation = textarea(_("Licence: who holds it, and on what terms"), rows=2, max_length=2000)
    activate = forms.BooleanField(label=_("Offer it for new screenings now"), required=False, initial=True)
