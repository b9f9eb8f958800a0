"""Every read in care coordination. Youth data is read only through ``access`` (by category), which
writes the ledger row in the same transaction; instruments are program configuration."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from threadline.access.categories import Category
from threadline.access.models import Consent
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.care.choices import TaskState
from threadline.care.instruments import Definition
from threadline.care.models import (
    CarePlan,
    CarePlanRevision,
    CaseClosure,
    CaseNote,
    Instrument,
    Meeting,
    NoteState,
    OutcomeCheckIn,
    PlanGoal,
    PlanNeed,
    PlanService,
    SafetyPlan,
    ScreeningResult,
    StageAssessment,
    Task,
    TaskSource,
    task_category,
    task_sources_in,
)
from threadline.care.stages import progression
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.youth.models import MissingEpisode, Youth
from threadline.youth.policy import (
    YouthNotFound,
    access_youth,
    active_team,
    open_for,
    parse_youth_id,
    visible_youth,
)
from threadline.youth.selectors import consents_expiring


def instruments_active() -> QuerySet[Instrument]:
    return Instrument.objects.filter(is_active=True).order_by("slug")


def instrument_versions(*, slug: str) -> QuerySet[Instrument]:
    return Instrument.objects.filter(slug=slug).order_by("-loaded_at")


def instrument_definition(*, instrument: Instrument) -> Definition:
    """The stored definition, indexed for scoring. It was validated when loaded."""
    return Definition.from_data(instrument.definition)


def _attach(youth: Youth, rows: list[Any]) -> list[Any]:
    for row in rows:
        row.youth = youth  # decrypt with the key already opened, no query per row
    return rows


@dataclass
class PlanPage:
    youth: Youth
    plan: CarePlan | None
    needs: list[PlanNeed] = field(default_factory=list)
    goals: list[PlanGoal] = field(default_factory=list)
    services: list[PlanService] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    revisions: list[CarePlanRevision] = field(default_factory=list)
    closures: list[CaseClosure] = field(default_factory=list)


def care_plan_page(*, membership: Membership | None, youth_id: Any) -> PlanPage:
    """The unified plan of one youth, if this person may see the care-plan category (else 404)."""
    with transaction.atomic():
        # Tasks a screening made are screening data: shown (and named in the ledger row) only to those
        # who may see screenings too.
        screening_tasks = _screening_tasks_visible(membership, youth_id)
        shown = [Category.SCREENINGS] if screening_tasks else []
        youth = open_for(membership, youth_id, Category.CARE_PLAN, *shown, purpose="read care plan").youth
        plan = CarePlan.objects.filter(youth=youth).first()
        page = PlanPage(youth=youth, plan=plan)
        page.closures = _attach(youth, list(CaseClosure.objects.filter(youth=youth)))
        if plan is None:
            return page
        plan.youth = youth
        page.needs = _attach(youth, list(plan.needs.all()))
        page.goals = _attach(youth, list(plan.goals.all()))
        page.services = _attach(youth, list(plan.services.select_related("provider")))
        tasks = plan.tasks.select_related("owner_person", "owner_organization")
        if not screening_tasks:
            tasks = tasks.exclude(source__in=task_sources_in(Category.SCREENINGS))
        page.tasks = _attach(youth, list(tasks))
        page.revisions = list(plan.revisions.select_related("by", "organization").defer("snapshot")[:50])
    return page


def _screening_tasks_visible(membership: Membership | None, youth_id: Any) -> bool:
    """Whether this youth has tasks made by a screening that this person may see. Discloses nothing:
    no ledger row (the caller's opening writes it)."""
    try:
        pk = parse_youth_id(youth_id)
    except YouthNotFound:
        return False
    visible = visible_youth(membership, Category.SCREENINGS).filter(pk=pk).exists()
    return (
        visible and Task.objects.filter(youth_id=pk, source__in=task_sources_in(Category.SCREENINGS)).exists()
    )


def _task_visible_q(membership: Membership) -> Q:
    """Tasks of the care plan, and tasks made by a screening only for youths whose screenings this
    person may see."""
    return ~Q(source__in=task_sources_in(Category.SCREENINGS)) | Q(
        youth__in=visible_youth(membership, Category.SCREENINGS).values("pk")
    )


@dataclass(frozen=True)
class ScreeningRow:
    result: ScreeningResult
    change: int | None  # total minus the previous screening's with the same instrument


def screenings_of(*, membership: Membership | None, youth_id: Any) -> list[ScreeningRow]:
    """A youth's screenings, newest first, each with its change since the one before it on the same
    instrument (any version: a new version of the same instrument is still comparable by band)."""
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.SCREENINGS, purpose="read screenings")
        results = _attach(
            youth,
            list(
                ScreeningResult.objects.filter(youth=youth)
                .select_related("instrument", "screener", "organization")
                .order_by("screened_on", "recorded_at")
            ),
        )
    previous: dict[str, int] = {}
    rows = []
    for result in results:
        slug = result.instrument.slug
        rows.append(ScreeningRow(result, result.total - previous[slug] if slug in previous else None))
        previous[slug] = result.total
    return list(reversed(rows))


def case_notes_of(*, membership: Membership | None, youth_id: Any) -> list[CaseNote]:
    """Saved notes this person may read, and their own drafts. A sensitive note is read only by its
    author's organization and the Care Coordinator's team."""
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CASE_NOTES, purpose="read case notes")
        assert membership is not None  # access_youth refused otherwise
        notes = CaseNote.objects.filter(youth=youth).select_related("author", "organization")
        mine = Q(state=NoteState.DRAFT, author=membership.user)
        readable = Q(state=NoteState.FINAL, sensitive=False)
        if may(membership, Action.COORDINATE_CARE):
            readable = Q(state=NoteState.FINAL)
        else:
            readable |= Q(state=NoteState.FINAL, organization=membership.organization)
        return _attach(youth, list(notes.filter(mine | readable)))


def case_note_draft(*, membership: Membership | None, youth_id: Any, note_id: Any) -> CaseNote:
    """One of the person's own drafts, to carry on writing."""
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CASE_NOTES, purpose="open draft note")
        assert membership is not None
        note = CaseNote.objects.filter(
            pk=note_id, youth=youth, author=membership.user, state=NoteState.DRAFT
        ).first()
        if note is None:
            raise CaseNote.DoesNotExist
        note.youth = youth
        return note


@dataclass
class MyWork:
    today: datetime.date
    due_today: list[Task]
    overdue: list[Task]
    upcoming: list[Task]
    consents_expiring: list[Consent]
    meetings: list[Meeting] = field(default_factory=list)
    team_overdue: list[Task] = field(default_factory=list)  # coordinators and supervisors only


def my_work(*, membership: Membership | None, today: datetime.date | None = None) -> MyWork:
    """Open tasks this person owns (or their organization owns with no person named), only for
    youths whose care plan they may still see; consents ending within 30 days. Each youth listed
    is one ledger row, like any other list of youth data."""
    today = today or timezone.localdate()
    if membership is None:
        return MyWork(today, [], [], [], [])
    visible = visible_youth(membership, Category.CARE_PLAN).values("pk")
    mine = Q(owner_person=membership.user) | Q(
        owner_person__isnull=True, owner_organization=membership.organization
    )
    tasks = list(
        Task.objects.filter(mine, youth__in=visible)
        .filter(_task_visible_q(membership))
        .exclude(state=TaskState.DONE)
        .filter(Q(due_on__isnull=True) | Q(due_on__lte=today + datetime.timedelta(days=7)))
        .select_related("youth__data_key", "owner_organization")
        .order_by("due_on", "created_at")[:200]
    )
    expiring = list(consents_expiring(membership=membership, within_days=30)[:100])
    team_overdue: list[Task] = []
    if may(membership, Action.SEE_WHOLE_CASELOAD):
        team_overdue = list(
            Task.objects.filter(youth__in=visible, due_on__lt=today)
            .filter(_task_visible_q(membership))
            .exclude(state=TaskState.DONE)
            .exclude(pk__in=[t.pk for t in tasks])
            .select_related("youth__data_key", "owner_person", "owner_organization")
            .order_by("due_on")[:100]
        )
    with transaction.atomic():
        screened = {
            t.youth_id for t in [*tasks, *team_overdue] if task_category(t.source) == Category.SCREENINGS
        }
        # One lock and one INSERT for every youth listed (a row each), whatever the caseload's size.
        who = {"actor": membership.user, "organization": membership.organization, "action": "list"}
        ledger.record_many(
            [
                {
                    **who,
                    "object_type": "youth",
                    "object_id": youth_pk,
                    "youth_id": youth_pk,
                    "category": ",".join(
                        sorted({Category.CARE_PLAN, *([Category.SCREENINGS] if youth_pk in screened else [])})
                    ),
                    "purpose": "my work: tasks",
                }
                for youth_pk in dict.fromkeys(t.youth_id for t in [*tasks, *team_overdue])
            ]
            + [
                {
                    **who,
                    "object_type": "youth",
                    "object_id": youth_pk,
                    "youth_id": youth_pk,
                    "category": Category.RECORD,
                    "purpose": "my work: releases ending",
                }
                for youth_pk in dict.fromkeys(c.youth_id for c in expiring)
            ]
        )
    return MyWork(
        today=today,
        due_today=[t for t in tasks if t.due_on == today],
        overdue=[t for t in tasks if t.due_on is not None and t.due_on < today],
        upcoming=[t for t in tasks if t.due_on is None or t.due_on > today],
        consents_expiring=expiring,
        meetings=meetings_upcoming(membership=membership),
        team_overdue=team_overdue,
    )


@dataclass(frozen=True)
class TeamChoices:
    organizations: list[tuple[int, str]]
    people: list[tuple[int, str, int]]  # person id, name, their organization on the team


def team_choices(*, youth: Youth) -> TeamChoices:
    """Who may own a task: the youth's active care team (organizations, and people named on it).
    Call only with a youth already opened through ``access``."""
    rows = list(active_team(timezone.now()).filter(youth=youth).select_related("organization", "person"))
    organizations = sorted({(r.organization.pk, r.organization.name) for r in rows}, key=lambda o: o[1])
    people = sorted(
        {
            (r.person.pk, r.person.get_full_name() or r.person.email, r.organization.pk)
            for r in rows
            if r.person is not None and r.person.is_active
        },
        key=lambda p: p[1],
    )
    return TeamChoices(organizations=organizations, people=people)


def meetings_of(*, membership: Membership | None, youth_id: Any) -> list[Meeting]:
    """The youth's meetings; each carries ``shown_place``: its place only with the location category
    (one ledger row naming the categories disclosed)."""
    with transaction.atomic():
        opened = open_for(
            membership, youth_id, Category.CARE_PLAN, Category.LOCATION, purpose="read meetings"
        )
        meetings = _attach(
            opened.youth,
            list(
                Meeting.objects.filter(youth=opened.youth)
                .select_related("created_by")
                .prefetch_related("invited", "attended")
            ),
        )
    for meeting in meetings:
        meeting.shown_place = meeting.place if opened.allows(Category.LOCATION) else ""
    return meetings


@dataclass(frozen=True)
class SafetyPlanView:
    youth: Youth
    plan: SafetyPlan | None
    shows_places: bool  # safe places are the location category


def safety_plan_of(*, membership: Membership | None, youth_id: Any) -> SafetyPlanView:
    with transaction.atomic():
        opened = open_for(
            membership, youth_id, Category.CARE_PLAN, Category.LOCATION, purpose="read safety plan"
        )
        plan = SafetyPlan.objects.filter(youth=opened.youth).first()
        if plan is not None:
            plan.youth = opened.youth
    return SafetyPlanView(youth=opened.youth, plan=plan, shows_places=opened.allows(Category.LOCATION))


@dataclass(frozen=True)
class Progress:
    stages: list[StageAssessment]
    check_ins: list[OutcomeCheckIn]
    net_steps: int  # forward steps from the first stage assessment to the latest


def progress_of(*, membership: Membership | None, youth_id: Any) -> Progress:
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, purpose="read progress")
        stages = _attach(youth, list(StageAssessment.objects.filter(youth=youth).select_related("by")))
        check_ins = list(OutcomeCheckIn.objects.filter(youth=youth).select_related("by"))
    return Progress(stages, check_ins, progression([s.stage for s in reversed(stages)]))


def meetings_upcoming(
    *, membership: Membership | None, now: datetime.datetime | None = None, days: int = 14
) -> list[Meeting]:
    """Meetings in the next N days that this person's organization is invited to or created, for
    youths whose plan they may still see. Only type and time are shown: no ledger row needed for
    the bare fact of a meeting beyond the listing row per youth."""
    if membership is None:
        return []
    now = now or timezone.now()
    visible = visible_youth(membership, Category.CARE_PLAN).values("pk")
    mine = Q(invited=membership.organization) | Q(created_by=membership.user)
    meetings = list(
        Meeting.objects.filter(mine, youth__in=visible, held_at__isnull=True)
        .filter(scheduled_at__gte=now, scheduled_at__lte=now + datetime.timedelta(days=days))
        .select_related("youth")
        .distinct()
        .order_by("scheduled_at")[:50]
    )
    with transaction.atomic():
        ledger.youths_shown(  # one lock and one INSERT, whatever the number of youths
            membership,
            dict.fromkeys(m.youth_id for m in meetings),
            action="list",
            category=Category.CARE_PLAN,
            purpose="my work: meetings",
        )
    return meetings


@dataclass(frozen=True)
class EpisodeRow:
    episode: MissingEpisode
    followed_up: bool  # a recovery roundtable and debrief step were already added


def missing_episodes_of(*, youth: Youth) -> list[EpisodeRow]:
    """Missing episodes that have ended, newest first. Call only with a youth already opened through
    ``access`` for the care plan (the youth record files episodes under that category)."""
    episodes = list(
        MissingEpisode.objects.filter(youth=youth, ended_at__isnull=False).order_by("-started_at")
    )
    followed = set(
        Task.objects.filter(youth=youth, source=TaskSource.MISSING).values_list("source_id", flat=True)
    )
    return [EpisodeRow(e, str(e.pk) in followed) for e in episodes]


def instruments_all() -> QuerySet[Instrument]:
    return Instrument.objects.select_related("loaded_by").order_by("slug", "-loaded_at")


def own_draft_locked(*, youth: Youth, membership: Membership, note_id: Any) -> CaseNote:
    """The acting person's own draft note of a youth the caller has just opened through the policy
    (``access_youth(..., write=True)``, which wrote the ledger row), locked for the caller's transaction.
    Another person's draft, a saved note or another youth's note: ``CaseNote.DoesNotExist``."""
    note = (
        CaseNote.objects.select_for_update()
        .filter(pk=note_id, youth=youth, author=membership.user, state=NoteState.DRAFT)
        .first()
    )
    if note is None:
        raise CaseNote.DoesNotExist
    note.youth = youth
    return note
