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
from threadline.outcomes.tables import Figure, Label, Table

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


def _by(
    key: str, title: Label, counts: Mapping[str, int], choices: Sequence[tuple[str, Label]], how: Label
) -> Table:
    rows = list(choices)
    known = {code for code, _label in rows}
    extra = sorted(code for code in counts if code not in known and code != NOT_GIVEN)
    rows += [(code, code) for code in extra]
    rows.append((NOT_GIVEN, _("Not given")))
    return Table(
        key=key,
        title=title,
        rows=rows,
        columns=[("referrals", _("Referrals"))],
        cells=[[counts.get(code, 0)] for code, _label in rows],
        how=how,
    )


def referrals_by_source(facts: Iterable[ReferralFact], period: Period) -> Table:
    """Referrals received in the period, one row per source the referrer chose (self, family, agency,
    school, ...); each referral counted once, a youth referred twice counted twice."""
    return source_table(count_by(facts, period, "source"))


def source_table(counts: Mapping[str, int]) -> Table:
    return _by(
        "referrals.source",
        _("Referrals by who referred"),
        counts,
        list(Referral.Source.choices),
        _("Each referral received in the period counted once, by who referred."),
    )


def referrals_by_channel(facts: Iterable[ReferralFact], period: Period) -> Table:
    """Referrals received in the period by how they arrived (public web form, hotline, staff)."""
    return channel_table(count_by(facts, period, "channel"))


def channel_table(counts: Mapping[str, int]) -> Table:
    return _by(
        "referrals.channel",
        _("Referrals by how they arrived"),
        counts,
        list(Referral.Channel.choices),
        _("Each referral received in the period counted once, by channel."),
    )


def referrals_by_concern(facts: Iterable[ReferralFact], period: Period) -> Table:
    """Referrals received in the period by the referrer's concern level (clear concern, at high risk,
    suspected, confirmed)."""
    return concern_table(count_by(facts, period, "concern"))


def concern_table(counts: Mapping[str, int]) -> Table:
    return _by(
        "referrals.concern",
        _("Referrals by concern level"),
        counts,
        list(Referral.Concern.choices),
        _("Each referral received in the period counted once, by the concern level given."),
    )


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
    rows = list(Outcome.choices)
    return Table(
        key="eligibility.outcome",
        title=_("Eligibility decisions"),
        rows=rows,
        columns=[("decisions", _("Decisions"))],
        cells=[[counts.get(code, 0)] for code, _label in rows],
        how=_("Each decision recorded in the period counted once, by its outcome."),
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
