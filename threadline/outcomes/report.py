"""The measures put together: a dashboard or a funder report is a list of sections, each holding
tables and figures computed from one ``Facts`` load. Nothing here is suppressed yet: ``publish``
does that for anything de-identified."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.outcomes import config
from threadline.outcomes.family_selectors import family_services_table
from threadline.outcomes.measures import activities, operations, outcomes, referrals, voca, youths
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
    period = facts.period
    area = facts.scope.service_area
    built: list[Section] = []
    if INTAKE in sections:
        built.append(_intake_section(facts, area))
    if YOUTHS in sections:
        facts_y = facts.youths(with_gender=with_gender)
        tables = [
            youths.new_vs_continuing(facts.spans, period),
            youths.served_by_age_band(facts.spans, facts_y, period),
        ]
        if with_gender:
            tables.append(youths.served_by_gender(facts.spans, facts_y, period))
        tables.append(youths.served_by_county(facts.spans, facts_y, period, area))
        built.append(Section(YOUTHS, _("Youths served"), tables=tables))
    if SERVICES in sections:
        built.append(
            Section(
                SERVICES,
                _("Services and activities"),
                tables=[
                    voca.voca_services(
                        plan_services=facts.plan_services,
                        contacts=facts.contacts,
                        meetings=facts.meetings,
                        placements=facts.placements,
                        period=period,
                    ),
                    activities.meetings_by_type(facts.meetings, period),
                    activities.screenings(facts.screenings, period),
                    *_network_tables(facts),
                    family_services_table(facts),  # issue 14
                ],
            )
        )
    if OUTCOMES in sections:
        missing = outcomes.missing_episodes(facts.spans, facts.episodes, period)
        built.append(
            Section(
                OUTCOMES,
                _("Outcomes"),
                tables=[
                    outcomes.check_in_outcomes(facts.check_ins, period),
                    missing.table(),
                    outcomes.stage_movement(facts.stages, period),
                    outcomes.participation(facts.spans, facts.meetings, facts.contacts, period),
                ],
                figures=missing.figures() + outcomes.safe_placement_stays(facts.placements_ended, period),
            )
        )
    if OPERATIONS in sections:
        built.append(
            Section(
                OPERATIONS,
                _("How the work is going"),
                tables=[
                    operations.mandatory_reports(facts.mandatory_reports, period, facts.now),
                    operations.tasks_overdue(facts.tasks, timezone.localdate(facts.now)),
                ],
            )
        )
    county_table = next((t for s in built for t in s.tables if t.key == "referrals.county"), None)
    map_counts = county_table.column("referrals") if county_table else {}
    return Report(period, built, map_counts, area, facts.now)


def _intake_section(facts: Facts, area: tuple[str, ...]) -> Section:
    period = facts.period
    ack = referrals.acknowledgment_clock(facts.alerts, period, config.acknowledgment_target())
    first = referrals.first_contact_clock(facts.referrals, period, config.first_contact_target())
    return Section(
        INTAKE,
        _("Referrals and response"),
        tables=[
            referrals.referrals_by_county(facts.referrals, period, area),
            referrals.referrals_by_source(facts.referrals, period),
            referrals.referrals_by_channel(facts.referrals, period),
            referrals.referrals_by_concern(facts.referrals, period),
            referrals.eligibility_decisions(facts.decisions, period),
        ],
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
