"""Issue 13: the public /refer/ page in the first person when the young person refers themself ("this
is me"): every question about "the young person" asks "you" instead. Chosen on the server (the
"Who are you?" answer, or the "I am the young person" link, which needs no JavaScript), so the page
reads right in both languages whatever the browser runs."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SELF = "self"  # Referral.Source.SELF

LABELS: dict[str, Promise] = {
    "what_is_known": _("What is happening? Tell us what you want us to know. Partial is fine."),
    "urgent": _("I may be in danger now or soon"),
    "urgency": _("Right now, are you…"),
    "youth_name": _("What do you like to be called? (optional)"),
    "youth_aliases": _("Other names you go by, if any (optional)"),
    "age": _("How old are you? (optional)"),
    "youth_date_of_birth": _("Your date of birth (optional)"),
    "youth_phone": _("Your phone number, if it is safe for us to call or text it (optional)"),
    "county": _("Which county are you in, travelling to, or were you harmed in? (optional)"),
    "connection": _("Your connection to that county (optional)"),
    "concern": _("How would you describe it?"),
    "referrer_contact": _("How can we reach you safely? (optional: leave empty to stay anonymous)"),
}
CHOICES: dict[str, dict[str, Promise]] = {
    "urgency": {
        "immediate_danger": _("in danger right now"),
        "runaway_now": _("away from home or run away right now"),
        "in_custody": _("held by police, in detention or in hospital"),
        "other": _("none of these, or I am not sure"),
    },
    "concern": {
        "suspected": _("I have a feeling something is wrong"),
        "clear_concern": _("Something worrying is happening to me"),
        "at_high_risk": _("I am at high risk"),
        "confirmed": _("I know it is happening to me"),
    },
}


def is_first_person(data: Any, query: Any) -> bool:
    """The young person refers themself: they said so in the form, or came by the "this is me" link."""
    if data is not None and "source" in data:
        return str(data.get("source")) == SELF
    return query is not None and str(query.get("who", "")) == "me"


def speak_to_the_youth(form: Any) -> None:
    """Reword a public referral form's questions in the first person (labels and choices)."""
    for name, label in LABELS.items():
        if name in form.fields:
            form.fields[name].label = label
    for name, choices in CHOICES.items():
        field = form.fields.get(name)
        if field is not None:
            field.choices = [(value, choices.get(str(value), text)) for value, text in field.choices]


def wordings() -> dict[str, dict[str, str]]:
    """Both wordings of the labels, in the reader's language, for the page's script to switch in place
    when "Who are you?" changes (the server already chose the right one for the page as sent)."""
    from threadline.intake.forms import PublicReferralForm

    third = PublicReferralForm()
    return {
        "me": {name: str(label) for name, label in LABELS.items()},
        "them": {name: str(third.fields[name].label) for name in LABELS if name in third.fields},
    }
