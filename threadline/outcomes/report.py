"""The measures put together: a dashboard or a funder report is a list of sections, each holding
tables and figures computed from one ``Facts`` load. Nothing here is suppressed yet: ``publish``
does that for anything de-identified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from threadline.outcomes import config
from threadline.outcomes.count_selectors import intake as counts_intake
from threadline.outcomes.count_selectors import outcomes as counts_outcomes
from threadline.outcomes.count_selectors import services as counts_services
from threadline.outcomes.count_selectors import youths as counts_youths
from threadline.outcomes.family_selectors import family_services_table
from threadline.outcomes.measures.facts import Period
from threadline.outcomes.measures.outcomes import MissingComparison, participation_table
from threadline.outcomes.selectors import Facts
from threadline.outcomes.tables import Figure, Label, Table

INTAKE = "intake"
YOUTHS = "youths"
SERVICES = "services"
OUTCOMES = "outcomes"
OPERATIONS = "operations"
ALL_SECTIONS = (INTAKE, YOUTHS, SERVICES, OUTCOMES, OPERATIONS)


@dataclass
class Section:
    key: str
    title: Label
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Report:
    period: Period
    sections: list[Section]
    map_counts: dict[str, int]  # referrals by county, for the map (published from the county table)
    service_area: tuple[str, ...]
    generated_at: dt.datetime

    def table(self, key: str) -> Table | None:
        for section in self.sections:
            for table in section.tables:
                if table.key == key:
                    return table
        return None


# The measures counted in the second lane (``Facts.two_lanes``): about half the database's time of a
# dashboard at 50,000 youths; the rest in the first (the gender groups are counted with the youths
# served). Timed alone per statement (server CPU, fiscal year to date, 2026-12-02), the second lane
# held 580 ms against the first's 370 when it also counted meetings, screenings, safe placement stays
# and overdue tasks (about 100 ms together); with those in the first, 480 against 470.
SECOND_LANE = frozenset({"voca", "check_ins", "stages", "missing"})


def _measures(facts: Facts, sections: tuple[str, ...], with_gender: bool) -> dict[str, Callable[[], Any]]:
    """Each measure the sections need, by name, not yet counted."""
    jobs: dict[str, Callable[[], Any]] = {}
    if INTAKE in sections:
        jobs["intake"] = lambda: _intake_section(facts)
    if YOUTHS in sections or OUTCOMES in sections:
        # Participation (``took_part``) is counted with the youths served, in the same statement.
        jobs["served"] = lambda: counts_youths.served_counts(facts, with_participation=OUTCOMES in sections)
    if SERVICES in sections:
        jobs["voca"] = lambda: counts_services.voca_services(facts)
        jobs["meetings"] = lambda: counts_services.meetings_by_type(facts)
        jobs["screenings"] = lambda: counts_services.screenings(facts)
        jobs["network"] = lambda: _network_tables(facts)
        jobs["family"] = lambda: family_services_table(facts)  # issue 14
    if OUTCOMES in sections:
        jobs["check_ins"] = lambda: counts_outcomes.check_in_outcomes(facts)
        jobs["missing"] = lambda: counts_outcomes.missing_episodes(facts)
        jobs["stages"] = lambda: counts_outcomes.stage_movement(facts)
        jobs["placements"] = lambda: counts_outcomes.safe_placement_stays(facts)
    if OPERATIONS in sections:
        jobs["mandatory"] = lambda: counts_intake.mandatory_reports(facts)
        jobs["tasks"] = lambda: counts_intake.tasks_overdue(facts)
    return jobs


def _count(jobs: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    return {name: job() for name, job in jobs.items()}


def build(facts: Facts, *, sections: tuple[str, ...] = ALL_SECTIONS, with_gender: bool = True) -> Report:
    """The sections asked for, each measure counted in the database (``outcomes.count_selectors``), in
    two lanes at once where that is safe (``Facts.two_lanes``); the figures do not depend on it."""
    period = facts.period
    area = facts.scope.service_area
    jobs = _measures(facts, sections, with_gender)
    first = {name: job for name, job in jobs.items() if name not in SECOND_LANE}
    second = {name: job for name, job in jobs.items() if name in SECOND_LANE}
    here, there = facts.two_lanes(lambda: _count(first), lambda: _count(second))
    counted = {**here, **there}
    built: list[Section] = []
    if INTAKE in sections:
        built.append(counted["intake"])
    if YOUTHS in sections:
        # The gender groups come with the youths served; words not grouped yet are opened here, on the
        # request's own connection.
        gender = counts_youths.gender_counts(facts, counted["served"]) if with_gender else None
        tables = counts_youths.youth_tables(counted["served"], gender, facts.scope.service_area)
        built.append(Section(YOUTHS, _("Youths served"), tables=tables))
    if SERVICES in sections:
        built.append(
            Section(
                SERVICES,
                _("Services and activities"),
                tables=[
                    counted["voca"],
                    counted["meetings"],
                    counted["screenings"],
                    *counted["network"],
                    counted["family"],
                ],
            )
        )
    if OUTCOMES in sections:
        missing: MissingComparison = counted["missing"]
        built.append(
            Section(
                OUTCOMES,
                _("Outcomes"),
                tables=[
                    counted["check_ins"],
                    missing.table(),
                    counted["stages"],
                    participation_table(counted["served"].took_part or 0, counted["served"].total),
                ],
                figures=missing.figures() + counted["placements"],
            )
        )
    if OPERATIONS in sections:
        built.append(
            Section(
                OPERATIONS,
                _("How the work is going"),
                tables=[counted["mandatory"], counted["tasks"]],
            )
        )
    county_table = next((t for s in built for t in s.tables if t.key == "referrals.county"), None)
    map_counts = county_table.column("referrals") if county_table else {}
    return Report(period, built, map_counts, area, facts.now)


def _intake_section(facts: Facts) -> Section:
    ack = counts_intake.acknowledgment_clock(facts, config.acknowledgment_target())
    first = counts_intake.first_contact_clock(facts, config.first_contact_target())
    return Section(
        INTAKE,
        _("Referrals and response"),
        tables=counts_intake.referral_tables(facts),
        figures=[
            *(_labelled(ack.label, f) for f in ack.figures()),
            *(_labelled(first.label, f) for f in first.figures()),
        ],
    )


def _labelled(prefix: Label, figure: Figure) -> Figure:
    """A clock's figure named with its clock ("Referral to first contact: median (hours)")."""
    from django.utils.text import format_lazy

    return Figure(
        figure.key,
        format_lazy("{}: {}", prefix, figure.label),
        figure.value,
        figure.unit,
        figure.counts,
        figure.how,
    )


def _network_tables(facts: Facts) -> list[Table]:
    """The partner network's activities (issue 15): trainings and program meetings."""
    from threadline.outcomes import network_selectors
    from threadline.outcomes.measures import network

    return [
        network.trainings(network_selectors.training_facts(facts.scope, facts.period), facts.period),
        network.program_meetings(
            network_selectors.program_meeting_facts(facts.scope, facts.period), facts.period
        ),
    ]
