"""Forms: search (staff and public), the provider application, vetting steps, the audit link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.core.formfields import checkboxes, date_input
from threadline.directory.geo import TEXAS_COUNTIES
from threadline.directory.models import Visibility
from threadline.directory.selectors import SearchQuery
from threadline.directory.taxonomy import ACCESS, GENDERS, LANGUAGES, POPULATIONS, SERVICE_TYPES, choices

ANY: list[tuple[str, Any]] = [("", _("Any"))]
COUNTY_CHOICES = sorted(((code, name) for code, name in TEXAS_COUNTIES.items()), key=lambda row: row[1])
RADIUS_CHOICES = [(5, "5"), (10, "10"), (25, "25"), (50, "50"), (100, "100")]


def near_zip_code() -> forms.CharField:
    """Where to search near: a phone's number pad, and the browser does not remember it."""
    return forms.CharField(
        label=_("Near ZIP code"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _essay(label: Any) -> forms.CharField:
    """One of the application's questions, answered in the applicant's own words."""
    return forms.CharField(label=label, widget=forms.Textarea, max_length=4000)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or keyword"), required=False, max_length=100)
    county = forms.ChoiceField(label=_("County served"), required=False, choices=ANY + COUNTY_CHOICES)
    zip_code = near_zip_code()
    radius = forms.TypedChoiceField(
        label=_("Within (miles)"), required=False, choices=RADIUS_CHOICES, coerce=int
    )
    age = forms.IntegerField(label=_("Age of the person"), required=False, min_value=0, max_value=120)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=ANY + choices(LANGUAGES))
    population = forms.ChoiceField(
        label=_("Specialization"), required=False, choices=ANY + choices(POPULATIONS)
    )
    service_type = forms.ChoiceField(
        label=_("Service type"), required=False, choices=ANY + choices(SERVICE_TYPES)
    )
    serves_minors = forms.BooleanField(label=_("Serves minors"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    capacity = forms.BooleanField(label=_("Has beds or slots available"), required=False)
    gender = forms.ChoiceField(label=_("Gender served"), required=False, choices=ANY + choices(GENDERS))
    access = checkboxes(_("Without these barriers"), choices(ACCESS))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_zip_code(self) -> str:
        value = str(self.cleaned_data.get("zip_code") or "").strip()
        if value and (len(value) != 5 or not value.isdigit()):
            raise forms.ValidationError(_("Enter a five-digit ZIP code."))
        return value

    def to_query(self, per_page: int = 20) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(
            q=data.get("q") or "",
            county=data.get("county") or "",
            zip_code=data.get("zip_code") or "",
            radius_miles=data.get("radius") or 25,
            age=data.get("age"),
            language=data.get("language") or "",
            population=data.get("population") or "",
            service_type=data.get("service_type") or "",
            serves_minors=bool(data.get("serves_minors")),
            open_now=bool(data.get("open_now")),
            capacity=bool(data.get("capacity")),
            access=tuple(data.get("access") or ()),
            gender=data.get("gender") or "",
            page=data.get("page") or 1,
            per_page=per_page,
        )


class PublicSearchForm(SearchForm):
    """The public directory: no capacity or open-now filters (they change by the hour and are for
    staff making a referral)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["capacity"]
        del self.fields["open_now"]


class ApplicationForm(forms.Form):
    organization_name = forms.CharField(label=_("Organization name"), max_length=200)
    service_name = forms.CharField(
        label=_("Name of the service, if different"), max_length=200, required=False
    )
    description = forms.CharField(label=_("What you offer survivors"), widget=forms.Textarea, max_length=4000)
    email = forms.EmailField(label=_("E-mail for referrals and the yearly check"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address_1 = forms.CharField(label=_("Street address"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    confidential_address = forms.BooleanField(
        label=_("This address is confidential (a shelter or safe house): never publish it"), required=False
    )
    counties = forms.MultipleChoiceField(
        label=_("Counties you serve"), choices=COUNTY_CHOICES, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    service_types = checkboxes(_("Services"), choices(SERVICE_TYPES))
    populations = checkboxes(_("Populations you specialize in"), choices(POPULATIONS))
    languages = checkboxes(_("Languages spoken"), choices(LANGUAGES))
    minimum_age = forms.IntegerField(
        label=_("Youngest age served"), min_value=0, max_value=120, required=False
    )
    maximum_age = forms.IntegerField(label=_("Oldest age served"), min_value=0, max_value=120, required=False)
    contact_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    victim_centered = _essay(_("How is your work victim-centered and trauma-informed?"))
    sustainable_management = _essay(_("How is your organization managed and funded so that it lasts?"))
    collaboration = _essay(_("How do you work with local anti-trafficking efforts?"))
    ability_to_serve = _essay(
        _("What experience and capacity do you have to serve survivors of trafficking?")
    )
    accepts_referrals = forms.BooleanField(label=_("We accept referrals"), required=False, initial=True)
    accepts_warm_transfers = forms.BooleanField(label=_("We accept warm transfers"), required=False)
    # A field people never see: bots fill it in.
    homepage = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The oldest age must not be below the youngest."))
        return data


class ReviewForm(forms.Form):
    pass


class OnsiteForm(forms.Form):
    checked_on = forms.DateField(label=_("Date of the on-site check"), widget=date_input())
    notes = forms.CharField(label=_("What was seen"), widget=forms.Textarea, required=False, max_length=4000)

    def clean_checked_on(self) -> Any:
        value = self.cleaned_data["checked_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ApproveForm(forms.Form):
    visibility = forms.ChoiceField(label=_("Who may see the listing"), choices=Visibility.choices)
    evidence = forms.CharField(label=_("What was checked"), widget=forms.Textarea, max_length=4000)


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(label=_("Who may see the listing"), choices=Visibility.choices)


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    delist = forms.BooleanField(label=_("Delist for good"), required=False)


class ConfirmForm(forms.Form):
    name = forms.CharField(label=_("Organization name"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False, max_length=4000
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    capacity_note = forms.CharField(label=_("Beds or slots"), max_length=200, required=False)
