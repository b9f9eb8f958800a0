"""Every read of the outcomes room: column-only queries that turn records into the plain facts the
measures count (``measures/facts.py``), for one organization and one period.

Scope: a Care Coordinator organization's own work, nothing else. Referrals, decisions, alerts and
mandatory notifications of the programs it runs (``intake.selectors.programs_for``); youths it has
been on the care team of, with what the care team recorded. A partner agency's people get an empty
scope: what a partner may see of a youth is decided by consent, one youth at a time, and has no
place in program totals.

Nothing here returns a row about one youth to a caller: the loaders are private to this room, the
youth becomes an opaque number local to one load, and gender words are decrypted only to be grouped
and then dropped. Callers receive the tables the measures build (``outcomes.report``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from threadline.access.models import CareTeamMember
from threadline.accounts.models import Membership, Organization
from threadline.care.choices import TaskState
from threadline.care.models import (
    CaseClosure,
    CaseNote,
    Meeting,
    NoteState,
    OutcomeCheckIn,
    PlanService,
    ScreeningResult,
    StageAssessment,
    Task,
)
from threadline.core.actions import Action, organization_may
from threadline.core.policy import may
from threadline.intake.models import Alert, EligibilityDecision, MandatoryReport, Program, Referral
from threadline.intake.selectors import programs_for, programs_of_organization
from threadline.outcomes.measures.facts import (
    AlertFact,
    CheckInFact,
    ContactFact,
    DecisionFact,
    EpisodeFact,
    MandatoryReportFact,
    MeetingFact,
    Period,
    PlacementFact,
    PlanServiceFact,
    ReferralFact,
    ScreeningFact,
    ServiceSpan,
    StageFact,
    TaskFact,
    YouthFact,
)
from threadline.youth.models import CountyConnection, MissingEpisode, Placement, Youth
from threadline.youth.policy import youth_for_maintenance

# Youth ids as text, read straight from the database: no UUID object per row (the same text in every
# query of one load, which is all an opaque key needs).
YID = Cast("youth_id", output_field=CharField())
SID = Cast("id", output_field=CharField())

# Which connection names "the" county of a youth, best first.
CONNECTION_PRIORITY = ("resides", "physically_present", "victimized_in", "travelling_to")


@dataclass(frozen=True)
class Scope:
    organization_id: int | None
    program_ids: tuple[int, ...]
    service_area: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return self.organization_id is None


def scope_for(membership: Membership | None) -> Scope:
    """The organization's own programs and caseload (Care Coordinator organizations only)."""
    if membership is None or not may(membership, Action.RUN_PROGRAM_SCOPE):
        return Scope(None, (), ())
    programs = list(programs_for(membership=membership))
    return Scope(membership.organization_id, tuple(p.pk for p in programs), service_area_of(programs))


def scope_for_organization(organization: Organization) -> Scope:
    """The same scope for an organization (the command line: no person acting)."""
    if not organization_may(organization, Action.RUN_PROGRAM_SCOPE):
        return Scope(None, (), ())
    programs = list(programs_of_organization(organization=organization))
    return Scope(organization.pk, tuple(p.pk for p in programs), service_area_of(programs))


def service_area_of(programs: list[Program]) -> tuple[str, ...]:
    """The counties of the current rule version of each program."""
    counties: set[str] = set()
    for program in programs:
        rules = program.current_rules()
        if rules is not None:
            counties.update(rules.counties.values_list("county", flat=True))
    return tuple(sorted(counties))


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _bounds(period: Period, before_days: int = 0) -> tuple[dt.datetime, dt.datetime]:
    """The period as an aware [start, end) range of local days, widened ``before_days`` back."""
    return _start(period.start - dt.timedelta(days=before_days)), _start(period.end + dt.timedelta(days=1))


@dataclass
class Facts:
    """The facts of one scope and period, each loaded (one query) the first time a measure asks."""

    scope: Scope
    period: Period
    now: dt.datetime = field(default_factory=timezone.now)
    _numbers: dict[str, int] = field(default_factory=dict)

    def _n(self, youth_id: str) -> int:
        """An opaque number for a youth, local to this load."""
        return self._numbers.setdefault(youth_id, len(self._numbers) + 1)

    # -- intake ---------------------------------------------------------------------------------

    def _referrals(self) -> QuerySet[Referral]:
        return Referral.objects.filter(program_id__in=self.scope.program_ids)

    @cached_property
    def referrals(self) -> list[ReferralFact]:
        start, end = _bounds(self.period)
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
        start, end = _bounds(self.period)
        rows = Alert.objects.filter(
            kind=Alert.Kind.URGENT_REFERRAL,
            region__program_id__in=self.scope.program_ids,
            started_at__gte=start,
            started_at__lt=end,
        )
        return [AlertFact(*row) for row in rows.values_list("started_at", "acknowledged_at").order_by()]

    @cached_property
    def decisions(self) -> list[DecisionFact]:
        start, end = _bounds(self.period)
        rows = EligibilityDecision.objects.filter(
            program_id__in=self.scope.program_ids, decided_at__gte=start, decided_at__lt=end
        )
        return [
            DecisionFact(*row) for row in rows.values_list("decided_at", "outcome", "reason_code").order_by()
        ]

    @cached_property
    def mandatory_reports(self) -> list[MandatoryReportFact]:
        start, end = _bounds(self.period)
        rows = MandatoryReport.objects.filter(
            referral__program_id__in=self.scope.program_ids, due_at__gte=start, due_at__lt=end
        )
        return [MandatoryReportFact(*row) for row in rows.values_list("due_at", "reported_at").order_by()]

    # -- the caseload -----------------------------------------------------------------------------

    def _team(self) -> QuerySet[CareTeamMember]:
        if self.scope.organization_id is None:
            return CareTeamMember.objects.none()
        return CareTeamMember.objects.filter(organization_id=self.scope.organization_id)

    def _youth_ids(self) -> QuerySet[CareTeamMember, Any]:
        """The caseload as a subquery (never a list of ids in the SQL)."""
        return self._team().values("youth_id")

    def _maybe_served(self) -> QuerySet[CareTeamMember, Any]:
        """Youths with a care-team membership overlapping the period (a superset of those served:
        a closure may end service earlier), as a subquery. Every per-youth read is limited to it, so
        the cost follows the caseload of the period, not every youth ever served."""
        return (
            self._team()
            .filter(started_on__lte=self.period.end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.period.start))
            .values("youth_id")
        )

    @cached_property
    def spans(self) -> list[ServiceSpan]:
        """One span per youth: from the organization's first day on the care team to its last (open
        if any membership is open), cut at a closure that was not re-opened."""
        if self.scope.empty:
            return []
        first: dict[str, dt.date] = {}
        last: dict[str, dt.date | None] = {}
        for youth_id, started, ended in (
            self._team()
            .filter(youth_id__in=self._maybe_served())
            .values_list(YID, "started_on", "ended_on")
            .order_by()
        ):
            if youth_id not in first or started < first[youth_id]:
                first[youth_id] = started
            if youth_id in last and last[youth_id] is None:
                continue
            previous = last.get(youth_id, dt.date.min)
            last[youth_id] = None if ended is None else max(ended, previous or dt.date.min)
        closed: dict[str, dt.date] = {}
        for youth_id, closed_at in (
            CaseClosure.objects.filter(youth_id__in=self._maybe_served(), reopened_at__isnull=True)
            .values_list(YID, "closed_at")
            .order_by()
        ):
            day = timezone.localdate(closed_at)
            closed[youth_id] = max(day, closed.get(youth_id, day))
        spans = []
        for youth_id, start in first.items():
            end = last.get(youth_id)
            if youth_id in closed:
                end = closed[youth_id] if end is None else min(end, closed[youth_id])
            spans.append(ServiceSpan(self._n(youth_id), start, end))
        return spans

    def served_youth_ids(self) -> set[str]:
        """The youths served in the period, as the string form of their ids (``YID``)."""
        return self._served_ids

    @cached_property
    def _served_ids(self) -> set[str]:
        numbers = {span.youth for span in self.spans if span.overlaps(self.period)}
        return {youth_id for youth_id, n in self._numbers.items() if n in numbers}

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
        began = self._team().filter(started_on__gte=self.period.start, started_on__lte=self.period.end)
        rows = MissingEpisode.objects.filter(
            youth_id__in=began.values("youth_id"), started_at__lt=_bounds(self.period)[1]
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
            for y, on, stage in rows.values_list(YID, "assessed_on", "stage").order_by()
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
            for y, on, ratings in rows.values_list(YID, "measured_on", "ratings").order_by()
        ]

    @cached_property
    def meetings(self) -> list[MeetingFact]:
        start, end = _bounds(self.period)
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
        start, end = _bounds(self.period)
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

    @cached_property
    def placements(self) -> list[PlacementFact]:
        rows = Placement.objects.filter(
            youth_id__in=self._youth_ids(),
            started_on__gte=self.period.start,
            started_on__lte=self.period.end,
        )
        return [
            PlacementFact(self._n(y), kind, start, end, safe)
            for y, kind, start, end, safe in rows.values_list(
                YID, "placement_type", "started_on", "ended_on", "felt_safe"
            ).order_by()
        ]

    @cached_property
    def placements_ended(self) -> list[PlacementFact]:
        rows = Placement.objects.filter(
            youth_id__in=self._youth_ids(),
            ended_on__gte=self.period.start,
            ended_on__lte=self.period.end,
        )
        return [
            PlacementFact(self._n(y), kind, start, end, safe)
            for y, kind, start, end, safe in rows.values_list(
                YID, "placement_type", "started_on", "ended_on", "felt_safe"
            ).order_by()
        ]

    @cached_property
    def tasks(self) -> list[TaskFact]:
        rows = Task.objects.filter(youth_id__in=self._youth_ids()).exclude(state=TaskState.DONE)
        return [
            TaskFact(due, state == TaskState.DONE)
            for due, state in rows.values_list("due_on", "state").order_by()
        ]


def _iterate(queryset: QuerySet[Youth]) -> Iterator[Youth]:
    return queryset.order_by().iterator(chunk_size=2000)


def facts_for(*, membership: Membership | None, period: Period, now: dt.datetime | None = None) -> Facts:
    """The facts of this person's organization for the period (empty for partner agencies)."""
    return Facts(scope=scope_for(membership), period=period, now=now or timezone.now())


# --- row-level exports of the program's own records (supervisors; see services) ----------------------


def generated_caseload_size(*, organization_id: int) -> int:
    """How many generated (fictional, ``Y-G…``) youths this organization has served: the demo loader's
    idempotency check. A count only; no youth is read."""
    from threadline.outcomes.demo_generate import REFERENCE_PREFIX

    return (
        CareTeamMember.objects.filter(
            organization_id=organization_id, youth__reference__startswith=REFERENCE_PREFIX
        )
        .values("youth_id")
        .distinct()
        .count()
    )
