"""Youths served, new vs continuing, age bands, gender groups and counties, on hand-made facts."""

from __future__ import annotations

import pytest

from tests.outcomes.helpers import d
from threadline.outcomes.measures import youths
from threadline.outcomes.measures.facts import Period, ServiceSpan, YouthFact

FY = Period(d("2025-10-01"), d("2026-09-30"))
SPANS = [
    ServiceSpan(1, d("2025-11-02"), None),  # new in the year
    ServiceSpan(2, d("2024-05-01"), None),  # continuing
    ServiceSpan(3, d("2024-05-01"), d("2025-09-30")),  # ended the day before: not served
    ServiceSpan(4, d("2024-01-01"), d("2025-10-01")),  # one day in the year: continuing
    ServiceSpan(5, d("2026-10-01"), None),  # starts after: not served
    ServiceSpan(6, d("2023-03-01"), d("2023-06-01")),  # served long ago, and back this year:
    ServiceSpan(6, d("2026-02-01"), None),  # continuing (first served before the year)
]


def test_served_counts_each_youth_once_new_if_first_served_in_the_period() -> None:
    assert youths.served_in(SPANS, FY) == {1: "new", 2: "continuing", 4: "continuing", 6: "continuing"}
    table = youths.new_vs_continuing(SPANS, FY)
    assert table.cells == [[1, 3]]


def test_age_band_uses_the_age_on_the_first_day_of_the_period() -> None:
    facts = [
        YouthFact(1, 16, d("2023-10-01"), "", ""),  # 16 two years before: 18 on 2025-10-01
        YouthFact(2, 14, d("2025-11-01"), "", ""),  # recorded after the start: 13 on 2025-10-01
        YouthFact(4, None, None, "", ""),
        YouthFact(6, 24, None, "", ""),
    ]
    assert youths.age_at(facts[0], FY) == 18
    assert youths.age_at(facts[1], FY) == 13
    table = youths.served_by_age_band(SPANS, facts, FY)
    by_band = {code: row for (code, _), row in zip(table.rows, table.cells, strict=True)}
    assert by_band["18-20"] == [1, 0]
    assert by_band["12-14"] == [0, 1]
    assert by_band["21-24"] == [0, 1]
    assert by_band["unknown"] == [0, 1]


@pytest.mark.parametrize(
    ("words", "group"),
    [
        ("Girl", "female"),
        ("young woman", "female"),
        ("chica", "female"),
        ("F", "female"),
        ("I'm a girl", "female"),
        ("Boy", "male"),
        ("hombre", "male"),
        ("Trans girl", "trans_nonbinary"),
        ("non-binary", "trans_nonbinary"),
        ("no binarie", "trans_nonbinary"),
        ("Two-Spirit", "trans_nonbinary"),
        ("girl and boy", "trans_nonbinary"),
        ("star", "trans_nonbinary"),
        ("", "not_recorded"),
        ("prefer not to say", "not_recorded"),
        ("?", "not_recorded"),
    ],
)
def test_gender_is_grouped_from_the_youths_own_words(words: str, group: str) -> None:
    assert youths.gender_group(words) == group


def test_county_rows_are_the_service_area_then_other_then_not_known() -> None:
    facts = [
        YouthFact(1, 15, None, "Girl", "Kerr"),
        YouthFact(2, 15, None, "Boy", "Harris"),
        YouthFact(4, 15, None, "", ""),
        YouthFact(6, 15, None, "", "Kerr"),
    ]
    table = youths.served_by_county(SPANS, facts, FY, ["Kerr", "Bexar"])
    assert [code for code, _ in table.rows] == ["Bexar", "Kerr", "__other__", "unknown"]
    assert table.cells == [[0, 0], [1, 1], [0, 1], [0, 1]]
    gender = youths.served_by_gender(SPANS, facts, FY)
    assert gender.cells == [[1, 0], [0, 1], [0, 0], [0, 2]]
