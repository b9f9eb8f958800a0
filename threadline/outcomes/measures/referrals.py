"""Referrals, eligibility decisions and the two clocks of the program's pulse."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from threadline.intake.choices import Outcome
from threadline.intake.models import Referral
from threadline.outcomes.measures.facts import AlertFact, DecisionFact, Period, ReferralFact
from threadline.outcomes.measures.stats import median, p90, share
from threadline.outcomes.tables import Figure, Label, Table, count_table

NOT_GIVEN = "__not_given__"

# Closed without contact (declined, referred out, withdrawn): not waiting for a first contact.
CLOSED_WITHOUT_CONTACT = frozenset(
    {Referral.Status.DECLINED, Referral.Status.REDIRECTED, Referral.Status.WITHDRAWN}
)


def received_in(facts: Iterable[ReferralFact], period: Period) -> list[ReferralFact]:
    """Referrals whose ``received_at`` falls on a day of the period (local time)."""
    return [f for f in facts if period.holds(f.received_at)]


def count_by(facts: Iterable[ReferralFact], period: Period, attribute: str) -> Counter[str]:
    """Referrals received in the period by one attribute (blank as ``NOT_GIVEN``)."""
    return Counter(getattr(f, attribute) or NOT_GIVEN for f in received_in(facts, period))


# The referrer's choices a table counts referrals by: attribute -> (choices, title, how it is counted).
BY_CHOICE: dict[str, tuple[Sequence[tuple[str, Label]], Label, Label]] = {
    "source": (
        Referral.Source.choices,
        _("Referrals by who referred"),
        _("Each referral received in the period counted once, by who referred."),
    ),
    "channel": (
        Referral.Channel.choices,
        _("Referrals by how they arrived"),
        _("Each referral received in the period counted once, by channel."),
    ),
    "concern": (
        Referral.Concern.choices,
        _("Referrals by concern level"),
        _("Each referral received in the period counted once, by the concern level given."),
    ),
}


def _by(
    key: str, title: Label, counts: Mapping[str, int], choices: Sequence[tuple[str, Label]], how: Label
) -> Table:
    rows = list(choices)
    known = {code for code, _label in rows}
    extra = sorted(code for code in counts if code not in known and code != NOT_GIVEN)
    rows += [(code, code) for code in extra]
    rows.append((NOT_GIVEN, _("Not given")))
    return count_table(key, title, rows, [("referrals", _("Referrals"), counts)], how)


def referrals_by(facts: Iterable[ReferralFact], period: Period, attribute: str) -> Table:
    """Referrals received in the period, one row per choice of ``attribute`` (a key of ``BY_CHOICE``):
    the source the referrer chose (self, family, agency, school, ...), the channel they arrived by
    (public web form, hotline, staff) or the referrer's concern level (clear concern, at high risk,
    suspected, confirmed); each referral counted once, a youth referred twice counted twice."""
    return choice_table(attribute, count_by(facts, period, attribute))


def choice_table(attribute: str, counts: Mapping[str, int]) -> Table:
    """``referrals_by`` from its counts ({choice: referrals})."""
    choices, title, how = BY_CHOICE[attribute]
    return _by(f"referrals.{attribute}", title, counts, choices, how)


def referrals_by_county(facts: Iterable[ReferralFact], period: Period, service_area: Sequence[str]) -> Table:
    """Referrals received in the period by the county the referrer gave. Rows: every service-area
    county (zeros included, so periods compare), then any other county named, then "Not given"."""
    return county_table(count_by(facts, period, "county"), service_area)


def county_table(counts: Mapping[str, int], service_area: Sequence[str]) -> Table:
    return _by(
        "referrals.county",
        _("Referrals by county"),
        counts,
        [(county, county) for county in sorted(set(service_area))],
        _("Each referral received in the period counted once, by the county given by the referrer."),
    )


def eligibility_decisions(facts: Iterable[DecisionFact], period: Period) -> Table:
    """Eligibility decisions recorded in the period (``decided_at``), by outcome: eligible, not
    eligible (a warm referral out follows), needs review. A referral decided twice counts twice."""
    return eligibility_table(Counter(f.outcome for f in facts if period.holds(f.decided_at)))


def eligibility_table(counts: Mapping[str, int]) -> Table:
    """``eligibility_decisions`` from its counts ({outcome: decisions})."""
    return count_table(
        "eligibility.outcome",
        _("Eligibility decisions"),
        Outcome.choices,
        [("decisions", _("Decisions"), counts)],
        _("Each decision recorded in the period counted once, by its outcome."),
    )


@dataclass(frozen=True)
class Clock:
    """One of the program's clocks over a period."""

    key: str
    label: Label
    median_hours: float | None
    p90_hours: float | None
    within_target: float | None  # percent of stopped clocks at or under the target
    target_hours: float
    stopped: int
    within: int
    running: int

    def figures(self) -> list[Figure]:
        over = self.stopped - self.within
        return [
            Figure(f"{self.key}.median", _("Median (hours)"), self.median_hours, "hours", (self.stopped,)),
            Figure(f"{self.key}.p90", _("90th percentile (hours)"), self.p90_hours, "hours", (self.stopped,)),
            Figure(
                f"{self.key}.within",
                _("Within target"),
                self.within_target,
                "percent",
                (self.within, over),
            ),
        ]


def _clock(
    key: str, label: Label, durations: list[dt.timedelta], running: int, target: dt.timedelta
) -> Clock:
    hours = [max(d, dt.timedelta(0)).total_seconds() / 3600 for d in durations]
    within = sum(1 for d in durations if d <= target)
    return Clock(
        key=key,
        label=label,
        median_hours=median(hours),
        p90_hours=p90(hours),
        within_target=share(within, len(durations)),
        target_hours=target.total_seconds() / 3600,
        stopped=len(durations),
        within=within,
        running=running,
    )


def acknowledgment_clock(facts: Iterable[AlertFact], period: Period, target: dt.timedelta) -> Clock:
    """Referral to acknowledgment by the on-call advocate, over the urgent-referral alerts raised on
    a day of the period: median and 90th percentile (nearest rank) of the stopped clocks, share
    stopped within ``target`` (at or under). Alerts not yet acknowledged are "running": counted,
    not in the median."""
    durations: list[dt.timedelta] = []
    running = 0
    for f in facts:
        if not period.holds(f.started_at):
            continue
        if f.acknowledged_at is None:
            running += 1
        else:
            durations.append(f.acknowledged_at - f.started_at)
    return acknowledgment_clock_of(durations, running, target)


def acknowledgment_clock_of(durations: list[dt.timedelta], running: int, target: dt.timedelta) -> Clock:
    """``acknowledgment_clock`` from the stopped clocks' durations and the number still running."""
    return _clock("clock.acknowledgment", _("Referral to acknowledgment"), durations, running, target)


def first_contact_clock(facts: Iterable[ReferralFact], period: Period, target: dt.timedelta) -> Clock:
    """Referral to first contact with the young person, over referrals received on a day of the
    period: median, 90th percentile (nearest rank), share within ``target``. A referral with no
    contact yet is "running" unless it was closed without contact (declined, referred out,
    withdrawn), which is neither."""
    durations: list[dt.timedelta] = []
    running = 0
    for f in received_in(facts, period):
        if f.first_contact_at is not None:
            durations.append(f.first_contact_at - f.received_at)
        elif f.status not in CLOSED_WITHOUT_CONTACT:
            running += 1
    return first_contact_clock_of(durations, running, target)


def first_contact_clock_of(durations: list[dt.timedelta], running: int, target: dt.timedelta) -> Clock:
    """``first_contact_clock`` from the stopped clocks' durations and the number still running."""
    return _clock("clock.first_contact", _("Referral to first contact"), durations, running, target)
