"""The measures put together: a dashboard or a funder report is a list of sections, each holding
tables and figures computed from one ``Facts`` load. Nothing here is suppressed yet: ``publish``
does that for anything de-identified."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from threadline.outcomes import config
from threadline.outcomes.count_selectors import intake as counts_intake
from threadline.outcomes.count_selectors import outcomes as counts_outcomes
from threadline.outcomes.count_selectors import services as counts_services
from threadline.outcomes.count_selectors import youths as counts_youths
from threadline.outcomes.family_selectors import family_services_table
from threadline.outcomes.measures.facts import Period
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


def build(facts: Facts, *, sections: tuple[str, ...] = ALL_SECTIONS, with_gender: bool = True) -> Report:
    """The sections asked for, each measure counted in the database (``outcomes.count_selectors``)."""
    period = facts.period
    area = facts.scope.service_area
    built: list[Section] = []
    if INTAKE in sections:
        built.append(_intake_section(facts))
    served = None
    if YOUTHS in sections:
        tables, served = counts_youths.youth_tables(facts, with_gender=with_gender)
        built.append(Section(YOUTHS, _("Youths served"), tables=tables))
    if SERVICES in sections:
        built.append(
            Section(
                SERVICES,
                _("Services and activities"),
                tables=[
                    counts_services.voca_services(facts),
                    counts_services.meetings_by_type(facts),
                    counts_services.screenings(facts),
                    *_network_tables(facts),
                    family_services_table(facts),  # issue 14
                ],
            )
        )
    if OUTCOMES in sections:
        missing = counts_outcomes.missing_episodes(facts)
        served = served or counts_youths.served_counts(facts)
        built.append(
            Section(
                OUTCOMES,
                _("Outcomes"),
                tables=[
                    counts_outcomes.check_in_outcomes(facts),
                    missing.table(),
                    counts_outcomes.stage_movement(facts),
                    counts_youths.participation(facts, served),
                ],
                figures=missing.figures() + counts_outcomes.safe_placement_stays(facts),
            )
        )
    if OPERATIONS in sections:
        built.append(
            Section(
                OPERATIONS,
                _("How the work is going"),
                tables=[counts_intake.mandatory_reports(facts), counts_intake.tasks_overdue(facts)],
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
