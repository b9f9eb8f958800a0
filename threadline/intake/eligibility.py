"""Eligibility from a program's service-area rules: a decision, the rule version used and a reason in
plain words that a coordinator can read to a caller.

How ages are read (shown in the UI as ``AGE_READING``): "up to age N" includes N. A program that
serves "up to 18" serves a youth aged 18, until the day before their 19th birthday; a youth whose
19th birthday is today is 19 and is past it. Seed 001 says "up to age 24" for the same young adults
seed 000 calls "under 25", so "up to" counts the age itself; and when in doubt, refer. Ages are
completed years; a birthday today already counts. A youth born on 29 February turns a year older on
1 March in other years.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import zipcodes
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from threadline.core.dates import age_on
from threadline.intake.choices import Connection, Outcome
from threadline.intake.models import CountyRule, Program, RuleVersion

MAX_AGE_ACCEPTED = 120

AGE_READING = _(
    "How ages are read: “up to age 18” includes 18. A youth is served until the day before their "
    "19th birthday. Ages are counted in completed years, and a birthday today already counts."
)

REASONS: dict[str, Promise] = {
    "eligible": _(
        "Eligible. %(county)s County is in our service area, and there we serve young people up to "
        "age %(max_age)s. This young person is %(age)s."
    ),
    "eligible_extension": _(
        "Eligible. In %(county)s County we usually serve young people up to age %(max_age)s, but a young "
        "person who started services before age %(entry_age)s can stay with us up to age "
        "%(extended_max_age)s. This young person is %(age)s."
    ),
    "too_old": _(
        "Not eligible for this program. In %(county)s County we serve young people up to age "
        "%(max_age)s, and this young person is %(age)s. We will help connect them with an agency that "
        "serves their area."
    ),
    "too_old_for_extension": _(
        "Not eligible for this program. In %(county)s County we serve young people up to age "
        "%(max_age)s, or up to %(extended_max_age)s if they started services before age %(entry_age)s. "
        "This young person is %(age)s. We will help connect them with an agency that serves their area."
    ),
    "outside_area": _(
        "Not eligible for this program. %(county)s County is outside our service area. We will help "
        "connect them with an agency that serves their area."
    ),
    "outside_state": _(
        "Not eligible for this program. We serve counties in %(program_state)s only, and this place is "
        "in %(state)s. We will help connect them with an agency that serves their area."
    ),
    "connection_not_accepted": _(
        "Not eligible for this program. We serve young people who %(accepted)s, and this young person "
        "only %(connection)s. We will help connect them with an agency that serves their area."
    ),
    "age_unknown": _(
        "Needs review. %(county)s County is in our service area, but we do not know the young person's "
        "age yet. Take the referral and find out the age: when in doubt, refer."
    ),
    "extension_unknown": _(
        "Needs review. In %(county)s County we serve young people up to age %(max_age)s, or up to "
        "%(extended_max_age)s if they started services before age %(entry_age)s. This young person is "
        "%(age)s: ask whether they started services before %(entry_age)s."
    ),
    "county_unknown": _(
        "Needs review. We do not know which county the young person is connected to yet. Ask where "
        "they are now, where they are going, or where they were harmed."
    ),
    "county_unrecognized": _(
        "Needs review. We could not find a county called “%(county)s”. Check the spelling, or use a ZIP code."
    ),
    "no_rules": _("Needs review. This program has no service area yet. Ask the program admin."),
}

CONNECTION_PHRASES: dict[str, Promise] = {
    Connection.RESIDES: _("live in the area"),
    Connection.PHYSICALLY_PRESENT: _("are in the area now"),
    Connection.TRAVELLING_TO: _("are travelling to the area"),
    Connection.VICTIMIZED_IN: _("were harmed in the area"),
}

CONNECTION_ONLY_PHRASES: dict[str, Promise] = {
    Connection.RESIDES: _("lives in the area"),
    Connection.PHYSICALLY_PRESENT: _("is in the area now"),
    Connection.TRAVELLING_TO: _("is travelling to the area"),
    Connection.VICTIMIZED_IN: _("was harmed in the area"),
}


class EligibilityInputError(ValueError):
    """Malformed input: answered with a clear message (422 in the API), never a 500."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def render_reason(code: str, params: dict[str, Any]) -> str:
    template = REASONS.get(code)
    if template is None:
        return code
    # A missing value renders empty rather than failing: an old decision must always be readable.
    values: defaultdict[str, Any] = defaultdict(str, params)
    if code == "connection_not_accepted":
        values["accepted"] = ", ".join(
            str(CONNECTION_PHRASES.get(kind, kind)) for kind in params.get("accepted", [])
        )
        values["connection"] = str(CONNECTION_ONLY_PHRASES.get(params.get("connection", ""), ""))
    return str(template) % values


# --- places --------------------------------------------------------------------------------------


def normalize_county(name: str) -> str:
    """'bexar county' -> 'Bexar'; 'mclennan' -> 'McLennan' when the state's list knows it."""
    cleaned = " ".join(name.replace("\u00a0", " ").split())
    if cleaned.lower().endswith(" county"):
        cleaned = cleaned[: -len(" county")]
    return cleaned.strip()


@lru_cache(maxsize=64)
def counties_of_state(state: str) -> dict[str, str]:
    """Lower-case county name -> its proper spelling, from the zipcodes package's data."""
    found: dict[str, str] = {}
    for row in zipcodes.filter_by(state=state.upper()):  # type: ignore[no-untyped-call]
        county = normalize_county(row.get("county") or "")
        if county:
            found.setdefault(county.lower(), county)
    return found


def canonical_county(name: str, state: str) -> str | None:
    return counties_of_state(state).get(normalize_county(name).lower())


@dataclass(frozen=True)
class Place:
    county: str
    state: str


def place_for_zip(zip_code: str) -> Place | None:
    """ZIP code -> county, from the maintained ``zipcodes`` package (no hand-typed table)."""
    code = zip_code.strip()
    try:
        rows = zipcodes.matching(code)  # type: ignore[no-untyped-call]
    except (TypeError, ValueError):
        raise EligibilityInputError("zip", gettext("A ZIP code has five digits.")) from None
    for row in rows:
        county = normalize_county(row.get("county") or "")
        if county:
            return Place(county=county, state=str(row.get("state", "")).upper())
    return None


# --- the question and the answer -------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    county: str | None = None
    state: str | None = None
    zip_code: str | None = None
    age: int | None = None
    date_of_birth: date | None = None
    today: date | None = None
    connection: str | None = None
    entered_before_18: bool | None = None


@dataclass(frozen=True)
class Agency:
    name: str
    phone: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Decision:
    outcome: str
    code: str
    params: dict[str, Any]
    program: str
    rule_version: int | None
    county: str = ""
    state: str = ""
    age: int | None = None
    connection: str = ""
    entered_before_18: bool | None = None
    next_steps: list[Agency] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return render_reason(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "rule_version": self.rule_version,
            "decision": self.outcome,
            "reason": self.reason,
            "reason_code": self.code,
            "county": self.county,
            "state": self.state,
            "age": self.age,
            "connection": self.connection,
            "entered_before_18": self.entered_before_18,
            "next_steps": {
                "refer_out": self.outcome == Outcome.NOT_ELIGIBLE,
                "agencies": [agency.__dict__ for agency in self.next_steps],
            },
        }


def _clean(question: Question, program: Program) -> tuple[str, str, int | None, str]:
    """Validate and normalise: (county, state, age, connection). County '' means unknown."""
    if question.connection and question.connection not in Connection.values:
        raise EligibilityInputError(
            "connection",
            gettext("Choose one of: %(kinds)s.") % {"kinds": ", ".join(Connection.values)},
        )
    connection = question.connection or Connection.PHYSICALLY_PRESENT
    age = question.age
    if age is not None and not 0 <= age <= MAX_AGE_ACCEPTED:
        raise EligibilityInputError("age", gettext("Age must be a whole number from 0 to 120."))
    if age is None and question.date_of_birth is not None:
        today = question.today or date.today()
        if question.date_of_birth > today:
            raise EligibilityInputError("date_of_birth", gettext("The date of birth is in the future."))
        age = age_on(question.date_of_birth, today)
    state = (question.state or "").strip().upper() or program.state
    if len(state) != 2 or not state.isalpha():
        raise EligibilityInputError("state", gettext("A state is two letters, like TX."))
    county = (question.county or "").strip()
    if not county and question.zip_code:
        place = place_for_zip(question.zip_code)
        if place is None:
            raise EligibilityInputError("zip", gettext("We do not know this ZIP code."))
        county, state = place.county, place.state
    if len(county) > 80:
        raise EligibilityInputError("county", gettext("A county name is at most 80 characters."))
    return county, state, age, connection


def decide(program: Program, question: Question, rules: RuleVersion | None = None) -> Decision:
    """The decision for one youth under the program's current rules (or the version given)."""
    rules = rules or program.current_rules()
    county, state, age, connection = _clean(question, program)
    base: dict[str, Any] = {
        "program": program.slug,
        "rule_version": rules.number if rules else None,
        "state": state,
        "age": age,
        "connection": connection,
        "entered_before_18": question.entered_before_18,
    }

    def answer(outcome: str, code: str, county_name: str = county, **params: Any) -> Decision:
        steps = agencies_serving(county=county_name, state=state) if outcome == Outcome.NOT_ELIGIBLE else []
        return Decision(
            outcome=outcome,
            code=code,
            params={"county": county_name, "state": state, "age": age, **params},
            county=county_name,
            next_steps=steps,
            **base,
        )

    if rules is None:
        return answer(Outcome.NEEDS_REVIEW, "no_rules")
    if not county:
        return answer(Outcome.NEEDS_REVIEW, "county_unknown")
    if state != program.state:
        elsewhere = canonical_county(county, state) or normalize_county(county)
        return answer(Outcome.NOT_ELIGIBLE, "outside_state", elsewhere, program_state=program.state)
    recognized = canonical_county(county, state)
    if recognized is None:
        return answer(Outcome.NEEDS_REVIEW, "county_unrecognized", normalize_county(county))
    known: str = recognized
    county_rule: CountyRule | None = next(
        (row for row in rules.counties.all() if row.county.lower() == known.lower()), None
    )
    if county_rule is None:
        return answer(Outcome.NOT_ELIGIBLE, "outside_area", known)
    if connection not in rules.connections:
        return answer(
            Outcome.NOT_ELIGIBLE,
            "connection_not_accepted",
            known,
            accepted=list(rules.connections),
            connection=connection,
        )
    limits = {
        "max_age": county_rule.max_age,
        "extended_max_age": county_rule.extended_max_age,
        "entry_age": rules.extension_entry_age,
    }
    if age is None:
        return answer(Outcome.NEEDS_REVIEW, "age_unknown", known, **limits)
    if age <= county_rule.max_age:
        return answer(Outcome.ELIGIBLE, "eligible", known, **limits)
    extended = county_rule.extended_max_age
    if extended is not None and age <= extended:
        if question.entered_before_18 is True:
            return answer(Outcome.ELIGIBLE, "eligible_extension", known, **limits)
        if question.entered_before_18 is None:
            return answer(Outcome.NEEDS_REVIEW, "extension_unknown", known, **limits)
        return answer(Outcome.NOT_ELIGIBLE, "too_old_for_extension", known, **limits)
    if extended is not None:
        return answer(Outcome.NOT_ELIGIBLE, "too_old_for_extension", known, **limits)
    return answer(Outcome.NOT_ELIGIBLE, "too_old", known, **limits)


def program_by_slug(slug: str) -> Program | None:
    return Program.objects.filter(slug=slug).first()


# --- next steps when not eligible ----------------------------------------------------------------

# Until the directory app exists: a configurable list. ``INTAKE_REFER_OUT_AGENCIES`` maps "ST:County"
# (or "ST:*" for the whole state, "*" for everywhere) to a list of {name, phone, url, note}.
DEFAULT_REFER_OUT_AGENCIES: dict[str, list[dict[str, str]]] = {
    "*": [
        {
            "name": "National Human Trafficking Hotline",
            "phone": "1-888-373-7888",
            "url": "https://humantraffickinghotline.org/",
            "note": "24/7, confidential; finds local services anywhere in the United States.",
        }
    ],
}


def agencies_from_settings(*, county: str, state: str) -> list[Agency]:
    table: dict[str, list[dict[str, str]]] = getattr(
        settings, "INTAKE_REFER_OUT_AGENCIES", DEFAULT_REFER_OUT_AGENCIES
    )
    keys = [f"{state}:{county}", f"{state}:*", "*"]
    found: list[Agency] = []
    for key in keys:
        for row in table.get(key, []):
            found.append(Agency(**{k: str(v) for k, v in row.items() if k in Agency.__dataclass_fields__}))
    return found


def agencies_serving(*, county: str, state: str) -> list[Agency]:
    """Agencies serving the youth's own area. The hook: ``INTAKE_AGENCY_FINDER`` names a function
    ``(county=..., state=...) -> list[Agency]`` (the directory app will provide one)."""
    dotted = getattr(settings, "INTAKE_AGENCY_FINDER", "")
    if dotted:
        module_name, _sep, attr = dotted.rpartition(".")
        finder = getattr(importlib.import_module(module_name), attr)
        return list(finder(county=county, state=state))
    return agencies_from_settings(county=county, state=state)
