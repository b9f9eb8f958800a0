"""Eligibility under the demo programs (seeds 000 and 001): every example of issue 5 and the edges."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

import pytest
import zipcodes
from pytest_django import Settings

from tests.conftest import Persona
from threadline.core.dates import age_on
from threadline.intake.demo_programs import CENTRAL_TEXAS_COUNTIES
from threadline.intake.eligibility import (
    EligibilityInputError,
    Question,
    decide,
    place_for_zip,
    program_by_slug,
)
from threadline.intake.models import Program

pytestmark = pytest.mark.django_db


def five() -> Program:
    program = program_by_slug("demo-five-county")
    assert program is not None, "the data migration installs the demo programs"
    return program


def central() -> Program:
    program = program_by_slug("demo-central-texas")
    assert program is not None
    return program


@pytest.mark.parametrize(
    ("county", "age", "outcome"),
    [
        ("Bexar", 12, "eligible"),
        ("Bexar", 18, "eligible"),  # "up to 18" includes 18
        ("Bexar", 22, "not_eligible"),  # past even the extension
        ("Kendall", 24, "eligible"),
        ("Kerr", 24, "eligible"),
        ("Hidalgo", 24, "eligible"),
        ("Montgomery", 24, "eligible"),
        ("Montgomery", 25, "not_eligible"),
        ("Kendall", 0, "eligible"),
        ("Harris", 15, "not_eligible"),  # outside the five counties
        ("Travis", 15, "not_eligible"),
    ],
)
def test_five_county_examples(county: str, age: int, outcome: str) -> None:
    decision = decide(five(), Question(county=county, age=age))
    assert decision.outcome == outcome, decision.reason
    assert decision.rule_version == 1
    assert decision.reason  # always something to read to the caller


def test_reason_is_plain_and_names_the_rule() -> None:
    decision = decide(five(), Question(county="Montgomery", age=25))
    assert "Montgomery County" in decision.reason
    assert "24" in decision.reason and "25" in decision.reason
    assert decision.reason.startswith("Not eligible")


def test_county_names_are_forgiving() -> None:
    assert decide(five(), Question(county="  bexar county ", age=10)).outcome == "eligible"
    assert decide(central(), Question(county="MCLENNAN", age=10)).county == "McLennan"


@pytest.mark.parametrize(
    ("county", "age", "outcome"),
    [
        ("Bexar", 24, "eligible"),
        ("McLennan", 24, "eligible"),
        ("Bell", 3, "eligible"),
        ("Coryell", 25, "not_eligible"),  # under 25 means 24 is the last age
        ("Harris", 16, "not_eligible"),
        ("Dallas", 16, "not_eligible"),
    ],
)
def test_central_texas_examples(county: str, age: int, outcome: str) -> None:
    assert decide(central(), Question(county=county, age=age)).outcome == outcome


def test_central_texas_has_26_real_texas_counties() -> None:
    assert len(set(CENTRAL_TEXAS_COUNTIES)) == 26
    rules = central().current_rules()
    assert rules is not None and rules.counties.count() == 26
    texas = {row["county"] for row in zipcodes.filter_by(state="TX")}  # type: ignore[no-untyped-call]  # zipcodes has no type hints
    for county in CENTRAL_TEXAS_COUNTIES:
        assert f"{county} County" in texas, county


class CountyOnDay(TypedDict):
    county: str
    today: date
    entered_before_18: bool


class CountyAndAge(TypedDict):
    county: str
    age: int


def test_birthday_today() -> None:
    today = date(2026, 11, 22)
    nineteen_today = date(2007, 11, 22)
    eighteen_today = date(2008, 11, 22)
    nineteen_tomorrow = date(2007, 11, 23)
    assert age_on(nineteen_today, today) == 19
    assert age_on(nineteen_tomorrow, today) == 18
    q: CountyOnDay = {"county": "Bexar", "today": today, "entered_before_18": False}
    assert decide(five(), Question(date_of_birth=eighteen_today, **q)).outcome == "eligible"
    assert decide(five(), Question(date_of_birth=nineteen_tomorrow, **q)).outcome == "eligible"
    assert decide(five(), Question(date_of_birth=nineteen_today, **q)).outcome == "not_eligible"


def test_leap_day_birthday_counts_on_first_of_march() -> None:
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_age_unknown_needs_review_inside_the_area_only() -> None:
    inside = decide(five(), Question(county="Bexar"))
    assert inside.outcome == "needs_review"
    assert "age" in inside.reason
    outside = decide(five(), Question(county="Harris"))
    assert outside.outcome == "not_eligible"  # no age makes Harris County part of the area


def test_county_unknown_or_misspelled_needs_review() -> None:
    assert decide(five(), Question(age=12)).outcome == "needs_review"
    typo = decide(five(), Question(county="Bexxar", age=12))
    assert typo.outcome == "needs_review"
    assert "Bexxar" in typo.reason


@pytest.mark.parametrize("connection", ["resides", "physically_present", "travelling_to", "victimized_in"])
def test_every_accepted_connection(connection: str) -> None:
    assert decide(five(), Question(county="Kerr", age=20, connection=connection)).outcome == "eligible"


def test_connection_only_by_victimization_now_living_elsewhere() -> None:
    # Harmed in Hidalgo County, living in Harris County now: eligible through Hidalgo.
    decision = decide(five(), Question(county="Hidalgo", age=23, connection="victimized_in"))
    assert decision.outcome == "eligible"
    assert decision.connection == "victimized_in"


def test_connection_not_accepted_by_a_program(program_admin: Persona) -> None:
    from threadline.intake.services.rules import CountyLimit, rules_version_create

    program = five()
    rules_version_create(
        membership=program_admin.membership,
        program=program,
        based_on=1,
        counties=[CountyLimit("Bexar", 18, 21)],
        connections=["resides", "physically_present"],
    )
    decision = decide(program, Question(county="Bexar", age=12, connection="victimized_in"))
    assert decision.outcome == "not_eligible"
    assert decision.code == "connection_not_accepted"
    assert "harmed" in decision.reason
    assert decision.rule_version == 2


def test_extension_for_youth_who_entered_services_before_18() -> None:
    base: CountyAndAge = {"county": "Bexar", "age": 20}
    assert decide(five(), Question(entered_before_18=True, **base)).outcome == "eligible"
    assert decide(five(), Question(entered_before_18=False, **base)).outcome == "not_eligible"
    unknown = decide(five(), Question(**base))
    assert unknown.outcome == "needs_review"
    assert "before" in unknown.reason
    assert decide(five(), Question(county="Bexar", age=21, entered_before_18=True)).outcome == "eligible"
    assert decide(five(), Question(county="Bexar", age=22, entered_before_18=True)).outcome == "not_eligible"


def test_not_eligible_always_offers_a_next_step() -> None:
    for question in [
        Question(county="Harris", age=15),
        Question(county="Bexar", age=30),
        Question(county="Los Angeles", state="CA", age=15),
    ]:
        decision = decide(five(), question)
        assert decision.outcome == "not_eligible"
        assert decision.next_steps, question
        assert decision.as_dict()["next_steps"]["refer_out"] is True
    assert decide(five(), Question(county="Bexar", age=5)).next_steps == []


def test_refer_out_agencies_are_configurable_per_county(settings: Settings) -> None:
    settings.INTAKE_REFER_OUT_AGENCIES = {
        "TX:Harris": [{"name": "Fictional Gulf Coast Youth Network", "phone": "555-0100"}],
        "*": [{"name": "Fictional Statewide Line"}],
    }
    names = [a.name for a in decide(five(), Question(county="Harris", age=15)).next_steps]
    assert names == ["Fictional Gulf Coast Youth Network", "Fictional Statewide Line"]


def test_agency_finder_hook(settings: Settings) -> None:
    settings.INTAKE_AGENCY_FINDER = "tests.intake.test_eligibility.fake_directory"
    steps = decide(five(), Question(county="Harris", age=15)).next_steps
    assert [a.name for a in steps] == ["Directory agency for Harris, TX"]


def fake_directory(*, county: str, state: str) -> list[object]:
    from threadline.intake.eligibility import Agency

    return [Agency(name=f"Directory agency for {county}, {state}")]


def test_zip_code_to_county_comes_from_the_zipcodes_package() -> None:
    place = place_for_zip("78205")  # downtown San Antonio
    assert place is not None and (place.county, place.state) == ("Bexar", "TX")
    assert decide(five(), Question(zip_code="78028", age=20)).county == "Kerr"  # Kerrville
    outside = decide(five(), Question(zip_code="90012", age=12))  # Los Angeles
    assert outside.outcome == "not_eligible"
    assert outside.code == "outside_state"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        (Question(county="Bexar", age=-1), "age"),
        (Question(county="Bexar", age=400), "age"),
        (Question(county="Bexar", connection="lives-nearby"), "connection"),
        (Question(zip_code="7820"), "zip"),
        (Question(zip_code="00000"), "zip"),
        (Question(county="Bexar", state="Texas"), "state"),
        (Question(county="Bexar", date_of_birth=date(2999, 1, 1)), "date_of_birth"),
    ],
)
def test_malformed_input_is_a_clear_error(question: Question, field: str) -> None:
    with pytest.raises(EligibilityInputError) as caught:
        decide(five(), question)
    assert caught.value.field == field
    assert caught.value.message


def test_reasons_are_translated_to_spanish() -> None:
    from django.utils import translation

    decision = decide(five(), Question(county="Bexar", age=30))
    with translation.override("es"):
        spanish = decision.reason
    assert spanish != decision.reason
    assert "Bexar" in spanish
