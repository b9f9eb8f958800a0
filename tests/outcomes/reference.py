"""The reference the database counts are checked against: every fact row of a scope and period
loaded as it is (the row loaders the outcomes room used before it counted in SQL), then counted by
the measure definitions in ``threadline.outcomes.measures`` (themselves tested on hand-made facts).
Same-day assessments and check-ins are taken in the order they were recorded."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from threadline.care.choices import TaskState
from threadline.care.models import (
    CaseNote,
    Meeting,
    NoteState,
    OutcomeCheckIn,
    PlanService,
    ScreeningResult,
    StageAssessment,
    Task,
)
from threadline.intake.models import Alert, EligibilityDecision, MandatoryReport, Referral
from threadline.outcomes import config
from threadline.outcomes.measures import activities, operations, outcomes, referrals, voca, youths
from threadline.outcomes.measures.facts import (
    AlertFact,
    CheckInFact,
    ContactFact,
    DecisionFact,
    EpisodeFact,
    MandatoryReportFact,
    MeetingFact,
    PlacementFact,
    PlanServiceFact,
    ReferralFact,
    ScreeningFact,
    StageFact,
    TaskFact,
    YouthFact,
)
from threadline.outcomes.selectors import SID, YID, Facts, bounds
from threadline.outcomes.tables import Figure, Table
from threadline.youth.counties import CONNECTION_PRIORITY
from threadline.youth.models import CountyConnection, MissingEpisode, Placement, Youth
from threadline.youth.policy import youth_for_maintenance


class ReferenceFacts(Facts):
    """Every fact row, one per record (the former ``selectors.Facts`` loaders)."""

    # -- intake ---------------------------------------------------------------------------------

    def _referrals(self) -> QuerySet[Referral]:
        return Referral.objects.filter(program_id__in=self.scope.program_ids)

    @cached_property
    def referrals(self) -> list[ReferralFact]:
        start, end = bounds(self.period)
        rows = self._referrals().filter(received_at__gte=start, received_at__lt=end)
        return [
            ReferralFact(*row)
            for row in rows.values_list(
                "received_at",
                "source",
                "channel",
                "county",
                "concern",
                "urgent",
                "status",
                "first_contact_at",
            ).order_by()
        ]

    @cached_property
    def alerts(self) -> list[AlertFact]:
        start, end = bounds(self.period)
        rows = Alert.objects.filter(
            kind=Alert.Kind.URGENT_REFERRAL,
            region__program_id__in=self.scope.program_ids,
            started_at__gte=start,
            started_at__lt=end,
        )
        return [AlertFact(*row) for row in rows.values_list("started_at", "acknowledged_at").order_by()]

    @cached_property
    def decisions(self) -> list[DecisionFact]:
        start, end = bounds(self.period)
        rows = EligibilityDecision.objects.filter(
            program_id__in=self.scope.program_ids, decided_at__gte=start, decided_at__lt=end
        )
        return [
            DecisionFact(*row) for row in rows.values_list("decided_at", "outcome", "reason_code").order_by()
        ]

    @cached_property
    def mandatory_reports(self) -> list[MandatoryReportFact]:
        start, end = bounds(self.period)
        rows = MandatoryReport.objects.filter(
            referral__program_id__in=self.scope.program_ids, due_at__gte=start, due_at__lt=end
        )
        return [MandatoryReportFact(*row) for row in rows.values_list("due_at", "reported_at").order_by()]

    def _caseload(self) -> QuerySet[Youth]:
        return youth_for_maintenance().filter(pk__in=self._maybe_served())

    def youths(self, *, with_gender: bool) -> list[YouthFact]:
        """Age, county and (``with_gender``: decrypted, for grouping only) gender words of the youths
        served in the period."""
        if self.scope.empty:
            return []
        served = self.served_youth_ids()
        counties: dict[str, tuple[int, str]] = {}
        for youth_id, county, kind in (
            CountyConnection.objects.filter(youth_id__in=self._maybe_served())
            .values_list(YID, "county", "kind")
            .order_by()
        ):
            if youth_id not in served:
                continue
            rank = (
                CONNECTION_PRIORITY.index(kind) if kind in CONNECTION_PRIORITY else len(CONNECTION_PRIORITY)
            )
            if youth_id not in counties or rank < counties[youth_id][0]:
                counties[youth_id] = (rank, county)
        genders: dict[str, str] = {}
        if with_gender:
            for youth in _iterate(
                self._caseload()
                .select_related("data_key")
                .only("id", "gender_identity", "data_key")
                .annotate(sid=SID)
            ):
                sid = str(getattr(youth, "sid", ""))
                if sid in served:
                    genders[sid] = str(youth.gender_identity or "")
        facts = []
        for youth_id, age, age_on in (
            self._caseload().values_list(SID, "estimated_age", "age_recorded_on").order_by()
        ):
            if youth_id in served:
                facts.append(
                    YouthFact(
                        youth=self._n(youth_id),
                        age=age,
                        age_on=age_on,
                        gender_words=genders.get(youth_id, ""),
                        county=counties.get(youth_id, (0, ""))[1],
                    )
                )
        return facts

    @cached_property
    def episodes(self) -> list[EpisodeFact]:
        # Only youths whose services began in the period are compared (``missing_episodes``).
        began = self.team().filter(started_on__gte=self.period.start, started_on__lte=self.period.end)
        rows = MissingEpisode.objects.filter(
            youth_id__in=began.values("youth_id"), started_at__lt=bounds(self.period)[1]
        )
        return [
            EpisodeFact(self._n(y), started, ended)
            for y, started, ended in rows.values_list(YID, "started_at", "ended_at").order_by()
        ]

    @cached_property
    def stages(self) -> list[StageFact]:
        # Only youths assessed in the period can count (their earlier assessments give the baseline).
        assessed = StageAssessment.objects.filter(
            youth_id__in=self._youth_ids(),
            assessed_on__gte=self.period.start,
            assessed_on__lte=self.period.end,
        ).values("youth_id")
        rows = StageAssessment.objects.filter(youth_id__in=assessed, assessed_on__lte=self.period.end)
        return [
            StageFact(self._n(y), on, stage)
            for y, on, stage in rows.values_list(YID, "assessed_on", "stage").order_by(
                "assessed_on", "recorded_at", "pk"
            )
        ]

    @cached_property
    def check_ins(self) -> list[CheckInFact]:
        rows = OutcomeCheckIn.objects.filter(
            youth_id__in=self._youth_ids(),
            measured_on__gte=self.period.start,
            measured_on__lte=self.period.end,
        )
        return [
            CheckInFact(self._n(y), on, dict(ratings or {}))
            for y, on, ratings in rows.values_list(YID, "measured_on", "ratings").order_by(
                "measured_on", "recorded_at", "pk"
            )
        ]

    @cached_property
    def meetings(self) -> list[MeetingFact]:
        start, end = bounds(self.period)
        rows = Meeting.objects.filter(youth_id__in=self._youth_ids()).filter(
            Q(held_at__gte=start, held_at__lt=end) | Q(scheduled_at__gte=start, scheduled_at__lt=end)
        )
        return [
            MeetingFact(self._n(y), kind, scheduled, held)
            for y, kind, scheduled, held in rows.values_list(
                YID, "meeting_type", "scheduled_at", "held_at"
            ).order_by()
        ]

    @cached_property
    def contacts(self) -> list[ContactFact]:
        start, end = bounds(self.period)
        rows = CaseNote.objects.filter(
            youth_id__in=self._youth_ids(),
            state=NoteState.FINAL,
            contact_at__gte=start,
            contact_at__lt=end,
        ).exclude(contact_type="")
        return [
            ContactFact(self._n(y), kind, at)
            for y, kind, at in rows.values_list(YID, "contact_type", "contact_at").order_by()
            if at is not None
        ]

    @cached_property
    def screenings(self) -> list[ScreeningFact]:
        rows = ScreeningResult.objects.filter(
            youth_id__in=self._youth_ids(),
            screened_on__gte=self.period.start,
            screened_on__lte=self.period.end,
        )
        return [
            ScreeningFact(self._n(y), on, complete)
            for y, on, complete in rows.values_list(YID, "screened_on", "complete").order_by()
        ]

    @cached_property
    def plan_services(self) -> list[PlanServiceFact]:
        rows = PlanService.objects.filter(
            youth_id__in=self._youth_ids(),
            started_on__gte=self.period.start,
            started_on__lte=self.period.end,
        )
        return [
            PlanServiceFact(self._n(y), domain, on)
            for y, domain, on in rows.values_list(YID, "domain", "started_on").order_by()
            if on is not None
        ]

    def _placements(self, day: str) -> list[PlacementFact]:
        """Placements that started (``day="started_on"``) or ended on a day of the period."""
        rows = Placement.objects.filter(
            youth_id__in=self._youth_ids(),
            **{f"{day}__gte": self.period.start, f"{day}__lte": self.period.end},
        )
        return [
            PlacementFact(self._n(y), kind, start, end, safe)
            for y, kind, start, end, safe in rows.values_list(
                YID, "placement_type", "started_on", "ended_on", "felt_safe"
            ).order_by()
        ]

    @cached_property
    def placements(self) -> list[PlacementFact]:
        return self._placements("started_on")

    @cached_property
    def placements_ended(self) -> list[PlacementFact]:
        return self._placements("ended_on")

    @cached_property
    def tasks(self) -> list[TaskFact]:
        rows = Task.objects.filter(youth_id__in=self._youth_ids()).exclude(state=TaskState.DONE)
        return [
            TaskFact(due, state == TaskState.DONE)
            for due, state in rows.values_list("due_on", "state").order_by()
        ]


def _iterate(queryset: QuerySet[Youth]) -> Iterator[Youth]:
    return queryset.order_by().iterator(chunk_size=2000)


def reference_figures(facts: ReferenceFacts, *, with_gender: bool = True) -> dict[str, Any]:
    """Every table's cells and every figure's value and counts, by key, from the definitions."""
    period, area = facts.period, facts.scope.service_area
    people = facts.youths(with_gender=with_gender)
    missing = outcomes.missing_episodes(facts.spans, facts.episodes, period)
    ack = referrals.acknowledgment_clock(facts.alerts, period, config.acknowledgment_target())
    first = referrals.first_contact_clock(facts.referrals, period, config.first_contact_target())
    tables: list[Table] = [
        referrals.referrals_by_county(facts.referrals, period, area),
        *(referrals.referrals_by(facts.referrals, period, attribute) for attribute in referrals.BY_CHOICE),
        referrals.eligibility_decisions(facts.decisions, period),
        youths.new_vs_continuing(facts.spans, period),
        youths.served_by_age_band(facts.spans, people, period),
        youths.served_by_county(facts.spans, people, period, area),
        voca.voca_services(
            plan_services=facts.plan_services,
            contacts=facts.contacts,
            meetings=facts.meetings,
            placements=facts.placements,
            period=period,
        ),
        activities.meetings_by_type(facts.meetings, period),
        activities.screenings(facts.screenings, period),
        outcomes.check_in_outcomes(facts.check_ins, period),
        missing.table(),
        outcomes.stage_movement(facts.stages, period),
        outcomes.participation(facts.spans, facts.meetings, facts.contacts, period),
        operations.mandatory_reports(facts.mandatory_reports, period, facts.now),
        operations.tasks_overdue(facts.tasks, timezone.localdate(facts.now)),
    ]
    if with_gender:
        tables.append(youths.served_by_gender(facts.spans, people, period))
    figures: list[Figure] = [
        *ack.figures(),
        *first.figures(),
        *missing.figures(),
        *outcomes.safe_placement_stays(facts.placements_ended, period),
    ]
    return {
        **{t.key: (list(t.rows), [list(row) for row in t.cells]) for t in tables},
        **{f.key: (f.value, f.counts) for f in figures},
    }
