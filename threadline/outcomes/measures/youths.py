"""Youths served: new vs continuing, by age band, gender (grouped from the youth's own words) and
county."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from django.utils.translation import gettext_lazy as _

from threadline.outcomes.measures.facts import Period, ServiceSpan, YouthFact
from threadline.outcomes.tables import Label, Table
from threadline.youth.gender import gender_group as gender_group  # defined with the record, used here

NEW = "new"
CONTINUING = "continuing"
COLUMNS: list[tuple[str, Label]] = [(NEW, _("New")), (CONTINUING, _("Continuing"))]


def first_starts(spans: Iterable[ServiceSpan]) -> dict[int, ServiceSpan]:
    """Per youth, the span with the earliest start (the day services first began)."""
    first: dict[int, ServiceSpan] = {}
    for span in spans:
        if span.youth not in first or span.start < first[span.youth].start:
            first[span.youth] = span
    return first


def served_in(spans: Iterable[ServiceSpan], period: Period) -> dict[int, str]:
    """Youths served in the period: any service span overlapping it (a day is enough). Each is
    **new** if services first began (ever, with this organization) on a day of the period, else
    **continuing**. Returns {youth: "new" | "continuing"}; each youth once, however many spans."""
    spans = list(spans)
    first = first_starts(spans)
    served = {span.youth for span in spans if span.overlaps(period)}
    return {y: NEW if first[y].start >= period.start else CONTINUING for y in served}


def new_vs_continuing(spans: Iterable[ServiceSpan], period: Period) -> Table:
    """Youths served in the period, new vs continuing (see ``served_in``); with a fiscal-year period
    this is the VOCA "new vs continuing individuals" count."""
    return served_table(Counter(served_in(spans, period).values()))


def served_table(status: Mapping[str, int]) -> Table:
    """``new_vs_continuing`` from its counts ({"new" | "continuing": youths})."""
    return Table(
        key="youths.served",
        title=_("Youths served"),
        rows=[("served", _("Youths served"))],
        columns=COLUMNS,
        cells=[[status.get(NEW, 0), status.get(CONTINUING, 0)]],
        how=_(
            "Each youth served on at least one day of the period counted once: new if services first "
            "began in the period, continuing if earlier."
        ),
    )


AGE_BANDS: list[tuple[str, Label, int, int]] = [
    ("0-11", _("Under 12"), 0, 11),
    ("12-14", _("12 to 14"), 12, 14),
    ("15-17", _("15 to 17"), 15, 17),
    ("18-20", _("18 to 20"), 18, 20),
    ("21-24", _("21 to 24"), 21, 24),
    ("25+", _("25 or older"), 25, 200),
]
UNKNOWN = "unknown"


def age_at(fact: YouthFact, period: Period) -> int | None:
    """Age on the first day of the period: the age recorded, plus the whole years between the day it
    was recorded and the period's start (a birthday is assumed on the recording day's date)."""
    if fact.age is None:
        return None
    if fact.age_on is None:
        return fact.age
    years = period.start.year - fact.age_on.year
    if (period.start.month, period.start.day) < (fact.age_on.month, fact.age_on.day):
        years -= 1
    return max(fact.age + years, 0)


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for code, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return UNKNOWN


GENDER_GROUPS: list[tuple[str, Label]] = [
    ("female", _("Girl or young woman")),
    ("male", _("Boy or young man")),
    ("trans_nonbinary", _("Transgender, non-binary or another identity")),
    ("not_recorded", _("Not recorded")),
]


def _grouped(
    status: dict[int, str], facts: dict[int, YouthFact], group: Callable[[YouthFact | None], str]
) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for youth, kind in status.items():
        counts[(group(facts.get(youth)), kind)] += 1
    return counts


def _crosstab(
    key: str,
    title: Label,
    how: Label,
    counts: Mapping[tuple[str, str], int],
    rows: Sequence[tuple[str, Label]],
) -> Table:
    return Table(
        key=key,
        title=title,
        rows=rows,
        columns=COLUMNS,
        cells=[[counts.get((code, column), 0) for column, _l in COLUMNS] for code, _label in rows],
        how=how,
    )


def served_by_age_band(spans: Iterable[ServiceSpan], youths: Iterable[YouthFact], period: Period) -> Table:
    """Youths served in the period (new / continuing) by age band on the period's first day
    (``age_at``); no age recorded → "Age not known"."""
    facts = {f.youth: f for f in youths}
    return age_table(
        _grouped(served_in(spans, period), facts, lambda f: age_band(age_at(f, period)) if f else UNKNOWN)
    )


def age_table(counts: Mapping[tuple[str, str], int]) -> Table:
    """``served_by_age_band`` from {(age band, "new" | "continuing"): youths}."""
    rows = [(code, label) for code, label, _low, _high in AGE_BANDS] + [(UNKNOWN, _("Age not known"))]
    return _crosstab(
        "youths.age_band", _("Youths served by age"), _("Age on the first day of the period."), counts, rows
    )


def served_by_gender(spans: Iterable[ServiceSpan], youths: Iterable[YouthFact], period: Period) -> Table:
    """Youths served in the period (new / continuing) by gender group (``gender_group`` of the youth's
    own words)."""
    facts = {f.youth: f for f in youths}
    return gender_table(
        _grouped(
            served_in(spans, period), facts, lambda f: gender_group(f.gender_words) if f else "not_recorded"
        )
    )


def gender_table(counts: Mapping[tuple[str, str], int]) -> Table:
    """``served_by_gender`` from {(gender group, "new" | "continuing"): youths}."""
    return _crosstab(
        "youths.gender",
        _("Youths served by gender"),
        _("Grouped from the words the youth uses for their gender."),
        counts,
        GENDER_GROUPS,
    )


OTHER_COUNTY = "__other__"


def county_group(county: str, service_area: frozenset[str]) -> str:
    """The row of a youth's main county: itself inside the service area, else "other"; none: unknown."""
    if not county:
        return UNKNOWN
    return county if county in service_area else OTHER_COUNTY


def served_by_county(
    spans: Iterable[ServiceSpan], youths: Iterable[YouthFact], period: Period, service_area: Sequence[str]
) -> Table:
    """Youths served in the period (new / continuing) by the county of their main connection (the
    rule of ``youth/counties.py``: lives there, else is there now, else was harmed there, else
    travelling there; kept on the youth, ``Youth.main_county``).
    Rows: the service-area counties, then "Other county", then "County not known"."""
    facts = {f.youth: f for f in youths}
    inside = frozenset(service_area)
    return county_table(
        _grouped(served_in(spans, period), facts, lambda f: county_group(f.county if f else "", inside)),
        service_area,
    )


def county_table(counts: Mapping[tuple[str, str], int], service_area: Sequence[str]) -> Table:
    """``served_by_county`` from {(county row, "new" | "continuing"): youths}."""
    rows: list[tuple[str, Label]] = [(c, c) for c in sorted(set(service_area))]
    rows += [(OTHER_COUNTY, _("Other county")), (UNKNOWN, _("County not known"))]
    return _crosstab(
        "youths.county",
        _("Youths served by county"),
        _("County of the youth's main connection to the area."),
        counts,
        rows,
    )
