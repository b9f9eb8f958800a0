"""A seeded generator of a fictional caseload, so that dashboards show real variation: youths over
two years across the demo counties, with referrals (and the clocks), eligibility decisions, care
teams, closures, missing episodes before and during services, placements, stage of change, check-ins,
meetings, case notes, screenings, care-plan services and tasks.

``plan`` is pure (a ``random.Random(seed)`` and Faker with the same seed): the same arguments give
the same caseload. ``outcomes.demo_caseload_services.generated_caseload_write`` writes a plan in bulk (batches, one
transaction each), which the demo loader (hundreds of youths) and ``bench/bench_outcomes.py`` (50,000)
both use. Every name, date of birth, phone number and address is invented (Faker; phone numbers in
the 555-01xx range reserved for fiction, never two youths the same).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from faker import Faker

# Where the demo programs work (seed 000 and 001), weighted roughly by population.
COUNTY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("Bexar", 30),
    ("Hidalgo", 12),
    ("Montgomery", 10),
    ("Travis", 10),
    ("Williamson", 6),
    ("Bell", 6),
    ("McLennan", 6),
    ("Comal", 4),
    ("Guadalupe", 4),
    ("Hays", 4),
    ("Kendall", 3),
    ("Kerr", 3),
    ("Medina", 2),
    ("Atascosa", 2),
    ("Coryell", 2),
    ("Wilson", 1),
    ("Bandera", 1),
    ("Limestone", 1),
    ("Falls", 1),
    ("Hill", 1),
    ("Harris", 2),  # outside the service areas: referred out
    ("Dallas", 1),
)
GENDER_WORDS: tuple[tuple[str, int], ...] = (
    ("Girl", 40),
    ("female", 12),
    ("Young woman", 6),
    ("chica", 4),
    ("Boy", 12),
    ("male", 4),
    ("Trans girl", 4),
    ("Non-binary", 4),
    ("Genderfluid", 1),
    ("", 8),
    ("prefer not to say", 2),
)
SOURCES = (
    ("agency", 30),
    ("law_enforcement", 15),
    ("school", 12),
    ("family", 12),
    ("hotline", 10),
    ("medical", 6),
    ("self", 6),
    ("friend", 5),
    ("other", 4),
)
CHANNELS = (("staff", 60), ("hotline", 25), ("web_form", 15))
CONCERNS = (("clear_concern", 35), ("at_high_risk", 25), ("suspected", 25), ("confirmed", 15))
MEETING_TYPES = (
    ("rapid_response", 30),
    ("care_coordination", 35),
    ("service_status", 20),
    ("pre_discharge", 5),
    ("recovery_roundtable", 10),
)
CONTACT_TYPES = (("in_person", 40), ("phone", 25), ("text", 20), ("video", 5), ("attempted", 10))
PLAN_DOMAINS = (
    ("housing", 15),
    ("behavioral_health", 20),
    ("education", 15),
    ("legal", 10),
    ("safety", 10),
    ("physical_health", 10),
    ("basic_needs", 10),
    ("family", 5),
    ("identity_documents", 5),
)
PLACEMENTS = (
    ("family", 30),
    ("kinship", 20),
    ("foster", 15),
    ("shelter", 12),
    ("safe_house", 8),
    ("residential", 10),
    ("detention", 5),
)
CLOSURES = (
    ("goals_met", 35),
    ("aged_out", 15),
    ("moved_away", 15),
    ("youth_declined", 10),
    ("lost_contact", 15),
    ("transferred", 10),
)
STAGES = ("precontemplation", "contemplation", "preparation", "action", "maintenance")
RATED = ("safe_housing", "basic_needs", "access_to_services", "safety", "social_support")


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


@dataclass
class GenEpisode:
    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass
class GenYouth:
    """One fictional youth and everything recorded about them."""

    index: int
    reference: str
    preferred_name: str
    legal_name: str
    date_of_birth: dt.date
    gender_words: str
    phone: str
    county: str
    in_area: bool
    # referral
    received_at: dt.datetime
    source: str
    channel: str
    concern: str
    urgent: bool
    acknowledged_after: dt.timedelta | None
    first_contact_after: dt.timedelta | None
    # services
    start: dt.date
    closed_on: dt.date | None
    closure_reason: str
    episodes: list[GenEpisode] = field(default_factory=list)
    placements: list[tuple[str, dt.date, dt.date | None, bool | None, str]] = field(default_factory=list)
    stages: list[tuple[dt.date, str]] = field(default_factory=list)
    check_ins: list[tuple[dt.date, dict[str, int]]] = field(default_factory=list)
    meetings: list[tuple[str, dt.datetime, dt.datetime | None]] = field(default_factory=list)
    contacts: list[tuple[str, dt.datetime, int]] = field(default_factory=list)
    screenings: list[tuple[dt.date, bool]] = field(default_factory=list)
    services: list[tuple[str, dt.date]] = field(default_factory=list)
    tasks: list[tuple[dt.date, bool]] = field(default_factory=list)

    @property
    def age_at_referral(self) -> int:
        born, on = self.date_of_birth, self.received_at.date()
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class GenReferral:
    """A referral that did not become a youth record (declined, referred out, withdrawn)."""

    received_at: dt.datetime
    source: str
    channel: str
    concern: str
    county: str
    age: int
    status: str


@dataclass
class Plan:
    youths: list[GenYouth]
    other_referrals: list[GenReferral]
    start: dt.date
    end: dt.date


# The 555-01xx lines are the ones reserved for fiction: 100 numbers, and the matcher compares a phone's
# last seven digits, so only a hundred youths can have a number of their own. Every fifth of the first
# 500 gets one (with a number for every youth, each shared by several, the matcher found "the same phone"
# between strangers all over the demo's review queue); many youths have no phone on record anyway.
PHONE_EVERY = 5


def phone(index: int) -> str:
    """The fictional phone number of generated youth ``index``, never another youth's; "" for none."""
    if index % PHONE_EVERY or index >= 100 * PHONE_EVERY:
        return ""
    return f"(210) 555-01{index // PHONE_EVERY:02d}"


REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
REFERENCE_PREFIX = "Y-G"  # generated youths: Y-G and five characters


def reference(index: int) -> str:
    chars = []
    n = index
    for _ in range(5):
        n, r = divmod(n, len(REFERENCE_ALPHABET))
        chars.append(REFERENCE_ALPHABET[r])
    return REFERENCE_PREFIX + "".join(reversed(chars))


def _moment(rng: random.Random, day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), tzinfo=tz)


def _youth(
    index: int, rng: random.Random, fake: Faker, start: dt.date, end: dt.date, tz: dt.tzinfo
) -> GenYouth:
    span = (end - start).days
    # More referrals lately (a program that grows), so fiscal years differ.
    offset = int(span * (1 - rng.random() ** 1.3))
    received_day = start + dt.timedelta(days=min(offset, span))
    received_at = _moment(rng, received_day, tz)
    age = rng.choices(range(11, 25), weights=[2, 4, 7, 10, 12, 12, 10, 7, 5, 4, 3, 2, 2, 1])[0]
    born = received_day - dt.timedelta(days=age * 365 + rng.randrange(365))
    county = _pick(rng, COUNTY_WEIGHTS)
    urgent = rng.random() < 0.45
    # Acknowledgment: minutes, with a long tail; first contact: hours, improving over time.
    ack = dt.timedelta(minutes=rng.lognormvariate(2.6, 0.9)) if urgent and rng.random() < 0.97 else None
    progress = offset / max(span, 1)
    first = dt.timedelta(hours=rng.lognormvariate(2.8 - 0.8 * progress, 0.9)) if rng.random() < 0.93 else None
    service_start = received_day + dt.timedelta(days=rng.randrange(0, 4))
    closed_on = None
    if rng.random() < 0.45:
        closed_on = service_start + dt.timedelta(days=rng.randrange(60, 500))
        if closed_on >= end:
            closed_on = None
    last_day = closed_on or end
    # A youth's own first name and surname (``fake.name()`` adds "Mrs." or "Dr." to some, no name for a
    # child), the first name as the name used most of the time and a chosen one for the others: with an
    # unrelated name for everyone, the matcher found strangers whose two made-up names looked related.
    # (Drawn from Faker's own stream, like every name: the caseload's other draws stay as they were.)
    given, surname = fake.first_name(), fake.last_name()
    preferred = given if fake.pybool(truth_probability=85) else fake.first_name()
    youth = GenYouth(
        index=index,
        reference=reference(index),
        preferred_name=preferred,
        legal_name=f"{given} {surname}",
        date_of_birth=born,
        gender_words=_pick(rng, GENDER_WORDS),
        phone=phone(index),
        county=county,
        in_area=county not in ("Harris", "Dallas"),
        received_at=received_at,
        source=_pick(rng, SOURCES),
        channel=_pick(rng, CHANNELS),
        concern=_pick(rng, CONCERNS),
        urgent=urgent,
        acknowledged_after=ack,
        first_contact_after=first,
        start=service_start,
        closed_on=closed_on,
        closure_reason=_pick(rng, CLOSURES),
    )
    served_days = max((last_day - service_start).days, 1)
    # Missing episodes: more, and longer, in the year before services than during them.
    risky = rng.random() < 0.55
    for _ in range(rng.choice([0, 1, 2, 3, 4]) if risky else 0):
        begin = service_start - dt.timedelta(days=rng.randrange(1, 365))
        youth.episodes.append(GenEpisode(_moment(rng, begin, tz), None))
    for _ in range(rng.choice([0, 0, 1, 1, 2]) if risky else 0):
        begin = service_start + dt.timedelta(days=rng.randrange(0, served_days))
        youth.episodes.append(GenEpisode(_moment(rng, begin, tz), None))
    for episode in youth.episodes:
        before = episode.started_at.date() < service_start
        hours = rng.lognormvariate(4.0 if before else 3.2, 0.8)
        ended = episode.started_at + dt.timedelta(hours=hours)
        if ended.date() < end or rng.random() < 0.9:
            episode.ended_at = ended
    for n in range(rng.choice([1, 1, 2, 3])):
        begins = service_start + dt.timedelta(days=rng.randrange(0, served_days))
        if begins >= end:
            continue
        finished = (
            begins + dt.timedelta(days=rng.randrange(20, 300)) if n < 2 and rng.random() < 0.6 else None
        )
        if finished is not None and finished >= end:
            finished = None
        youth.placements.append(
            (_pick(rng, PLACEMENTS), begins, finished, rng.random() < 0.75, fake.street_address() + ", TX")
        )
    stage = rng.randrange(0, 3)
    for k in range(rng.choice([1, 2, 3, 4])):
        day = service_start + dt.timedelta(days=min(k * rng.randrange(30, 120), served_days - 1))
        if day >= end:
            break
        youth.stages.append((day, STAGES[stage]))
        stage = max(0, min(4, stage + rng.choice([1, 1, 1, 0, 0, -1])))
    base = {measure: rng.randrange(1, 4) for measure in RATED}
    for k in range(rng.choice([0, 1, 2, 3])):
        day = service_start + dt.timedelta(days=min(15 + k * rng.randrange(45, 120), served_days - 1))
        if day >= end:
            break
        youth.check_ins.append(
            (day, {m: min(5, max(1, v + k * rng.choice([0, 1, 1]))) for m, v in base.items()})
        )
    for _ in range(rng.choice([1, 2, 2, 3, 4])):
        when = _moment(rng, service_start + dt.timedelta(days=rng.randrange(0, served_days)), tz)
        if when.date() >= end:
            continue
        youth.meetings.append((_pick(rng, MEETING_TYPES), when, when if rng.random() < 0.85 else None))
    for _ in range(rng.randrange(1, 8)):
        when = _moment(rng, service_start + dt.timedelta(days=rng.randrange(0, served_days)), tz)
        if when.date() < end:
            youth.contacts.append((_pick(rng, CONTACT_TYPES), when, rng.randrange(10, 90)))
    if rng.random() < 0.7:
        day = service_start + dt.timedelta(days=rng.randrange(0, 10))
        if day < end:
            youth.screenings.append((day, rng.random() < 0.85))
    for _ in range(rng.choice([0, 1, 2, 3])):
        day = service_start + dt.timedelta(days=rng.randrange(0, served_days))
        if day < end:
            youth.services.append((_pick(rng, PLAN_DOMAINS), day))
    if closed_on is None:
        for _ in range(rng.choice([0, 1, 2])):
            youth.tasks.append((end + dt.timedelta(days=rng.randrange(-20, 20)), False))
    return youth


def _other(rng: random.Random, start: dt.date, end: dt.date, tz: dt.tzinfo) -> GenReferral:
    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    county = _pick(rng, COUNTY_WEIGHTS)
    outside = county in ("Harris", "Dallas")
    return GenReferral(
        received_at=_moment(rng, day, tz),
        source=_pick(rng, SOURCES),
        channel=_pick(rng, CHANNELS),
        concern=_pick(rng, CONCERNS),
        county=county,
        age=rng.randrange(12, 27),
        status="redirected" if outside else rng.choice(["declined", "withdrawn", "redirected"]),
    )


def plan(*, seed: int, youths: int, end: dt.date, years: int = 2, tz: dt.tzinfo = dt.UTC) -> Plan:
    """A fictional caseload: ``youths`` youths referred over ``years`` years up to ``end``, and one
    referral in five that did not become a youth record."""
    return Plan(
        list(iter_youths(seed=seed, youths=youths, end=end, years=years, tz=tz)),
        other_referrals(seed=seed, count=youths // 5, end=end, years=years, tz=tz),
        end - dt.timedelta(days=365 * years),
        end,
    )


def iter_youths(
    *, seed: int, youths: int, end: dt.date, years: int = 2, tz: dt.tzinfo = dt.UTC
) -> Iterator[GenYouth]:
    """The youths of ``plan`` one at a time (for a large bench caseload without holding it all)."""
    rng = random.Random(seed)  # noqa: S311 — fictional demo data, not secrets
    fake = Faker(["en_US", "es_MX"])
    fake.seed_instance(seed)
    start = end - dt.timedelta(days=365 * years)
    for index in range(youths):
        yield _youth(index, rng, fake, start, end, tz)


def other_referrals(
    *, seed: int, count: int, end: dt.date, years: int = 2, tz: dt.tzinfo = dt.UTC
) -> list[GenReferral]:
    """Referrals that did not become a youth record (declined, referred out, withdrawn)."""
    rng = random.Random(seed + 1)  # noqa: S311 — fictional demo data, not secrets
    start = end - dt.timedelta(days=365 * years)
    return [_other(rng, start, end, tz) for _ in range(count)]
