"""Every write in care coordination. One transaction each, ledger row inside."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from threadline.access.categories import Category
from threadline.accounts.models import Membership, Organization, User
from threadline.audit import ledger
from threadline.care.choices import (
    MEETINGS_WITHOUT_YOUTH,
    PLAN_TRANSITIONS,
    ClosureReason,
    ContactType,
    MeetingType,
    NeedDomain,
    PlanState,
    TaskState,
)
from threadline.care.instruments import AnswerError, Definition, ScreeningScore, validate
from threadline.care.instruments import score as score_answers
from threadline.care.instruments import text as instrument_text
from threadline.care.instruments.scoring import clean_answers
from threadline.care.measures import CheckInError, clean_check_in
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
)
from threadline.care.stages import Stage
from threadline.care.stages import movement as stage_movement
from threadline.core.actions import Action
from threadline.core.errors import EditConflict
from threadline.core.policy import may
from threadline.youth.models import MissingEpisode, RecordStatus, Youth
from threadline.youth.policy import access_youth, active_team, open_youth
from threadline.youth.services import missing_episode_end
from threadline.youth.timeline import timeline_add

DEMO_ATTESTATION = "Demo instrument written by the Threadline project; no licence needed. Not validated."


class InstrumentConflict(ValidationError):
    """The same slug and version is already loaded with different content."""


def content_hash(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class InstrumentLoaded:
    instrument: Instrument
    created: bool  # False: the identical version was already there and nothing changed


def instrument_load(
    *,
    definition: dict[str, Any],
    licence_attestation: str,
    loaded_by: User | None = None,
    activate: bool = True,
    source: str = "",
) -> InstrumentLoaded:
    """Validate and store one instrument version.

    Loading the identical file twice is harmless; loading different content under a slug+version
    that exists is refused (results already scored with it must keep meaning what they meant).
    A licence attestation is required for every instrument that is not our own demo.
    """
    definition = validate(definition, source=source)
    is_demo = bool(definition.get("demo", False))
    attestation = licence_attestation.strip()
    if not attestation:
        if not is_demo:
            raise ValidationError(
                {
                    "licence_attestation": "Say who holds the licence to use this instrument and on what "
                    "terms; only instruments your agency is licensed to use may be loaded."
                }
            )
        attestation = DEMO_ATTESTATION
    digest = content_hash(definition)
    slug, version = definition["id"], definition["version"]
    with transaction.atomic():
        existing = Instrument.objects.select_for_update().filter(slug=slug, version=version).first()
        if existing is not None:
            if existing.content_hash != digest:
                raise InstrumentConflict(
                    f"{slug} {version} is already loaded with different content. Results scored with it "
                    "must keep their meaning: give the changed file a new version number."
                )
            return InstrumentLoaded(existing, created=False)
        if activate:
            Instrument.objects.filter(slug=slug, is_active=True).update(is_active=False)
        instrument = Instrument.objects.create(
            slug=slug,
            version=version,
            title=definition["title"]["en"][:200],
            definition=definition,
            content_hash=digest,
            is_demo=is_demo,
            licence_attestation=attestation,
            loaded_by=loaded_by,
            is_active=activate,
        )
        ledger.record(
            actor=loaded_by,
            organization=None,
            action="load",
            object_type="instrument",
            object_id=instrument.pk,
            category="program",
            purpose=f"load screening instrument {slug} {version}",
        )
    return InstrumentLoaded(instrument, created=True)


# --- The youth's care: plan, tasks, screenings, notes, closure. ---
# Each service opens the youth through ``access`` for the category it writes (404 otherwise), which
# writes the ledger row in this same transaction; then it writes its rows and a timeline entry.


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value: str, *, field: str, required: bool = False, limit: int = 4000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "Please fill this in."})
    if len(value) > limit:
        raise ValidationError({field: f"Please keep this under {limit} characters."})
    return value


def _choice(value: str, choices: type[models.TextChoices], *, field: str, blank: bool = False) -> str:
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ValidationError({field: "Choose one of the options."})
    return value


def _open_plan(
    membership: Membership, youth_id: Any, *, purpose: str, lock_youth: bool = False
) -> tuple[Youth, CarePlan]:
    """The youth (care plan, write) and its plan, locked; a draft plan is started if there is none."""
    youth = access_youth(
        membership, youth_id, Category.CARE_PLAN, write=True, purpose=purpose, lock=lock_youth
    )
    return youth, _lock_plan(youth)


def _lock_plan(youth: Youth) -> CarePlan:
    """The youth's plan, locked; a draft plan is started if there is none."""
    plan = CarePlan.objects.select_for_update().filter(youth=youth).first()
    if plan is None:
        plan = CarePlan(youth=youth, version=0)
        plan.save(force_insert=True)
    plan.youth = youth
    return plan


def _refuse_if_closed(plan: CarePlan) -> None:
    if plan.state == PlanState.CLOSED:
        raise ValidationError({"state": "This plan is closed. Re-open it to add to it."})


def plan_snapshot(plan: CarePlan) -> dict[str, Any]:
    """Everything in the plan as it stands, for the revision history."""

    def day(value: datetime.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "state": plan.state,
        "review_on": day(plan.review_on),
        "needs": [
            {"id": str(n.pk), "domain": n.domain, "description": n.description, "met_on": day(n.met_on)}
            for n in _children(plan, plan.needs.all())
        ],
        "goals": [
            {
                "id": str(g.pk),
                "domain": g.domain,
                "words": g.in_their_words,
                "achieved_on": day(g.achieved_on),
            }
            for g in _children(plan, plan.goals.all())
        ],
        "services": [
            {
                "id": str(s.pk),
                "domain": s.domain,
                "provider_id": s.provider_id,
                "provider_name": s.provider_name,
                "description": s.description,
                "started_on": day(s.started_on),
                "ended_on": day(s.ended_on),
            }
            for s in _children(plan, plan.services.all())
        ],
        "tasks": [
            {
                "id": str(t.pk),
                "title": t.title,
                "owner_person_id": t.owner_person_id,
                "owner_organization_id": t.owner_organization_id,
                "due_on": day(t.due_on),
                "state": t.state,
            }
            for t in _children(plan, plan.tasks.order_by("created_at"))
        ],
    }


_Child = TypeVar("_Child", PlanNeed, PlanGoal, PlanService, Task)


def _children(plan: CarePlan, rows: Iterable[_Child]) -> list[_Child]:
    out = []
    for row in rows:
        row.youth = plan.youth  # already opened: no query per row to find the key
        out.append(row)
    return out


# Plain, non-identifying timeline wording for each kind of change.
PLAN_CHANGES = {
    "plan_started": "Care plan started",
    "state_changed": "Care plan state changed",
    "review_set": "Care plan review date set",
    "need_added": "Need added to the care plan",
    "goal_added": "Goal added to the care plan",
    "need_changed": "Need updated",
    "goal_changed": "Goal updated",
    "service_added": "Service added to the care plan",
    "task_added": "Task added",
    "task_changed": "Task updated",
}


def _revise(plan: CarePlan, membership: Membership | None, change: str) -> CarePlanRevision:
    """Bump the plan's version, keep a snapshot, and tell the timeline. Inside the caller's atomic."""
    plan.version += 1
    plan.updated_at = timezone.now()
    plan.save(update_fields=["version", "updated_at", "state", "review_on"])
    revision = CarePlanRevision(
        youth=plan.youth,
        plan=plan,
        number=plan.version,
        by=membership.user if membership else None,
        organization=membership.organization if membership else None,
        change=change,
        snapshot=plan_snapshot(plan),
    )
    revision.save(force_insert=True)
    timeline_add(
        youth=plan.youth,
        kind=f"care_plan_{change}"[:40],
        category=Category.CARE_PLAN,
        summary=PLAN_CHANGES[change],
        membership=membership,
        object_type="care_plan",
        object_id=plan.pk,
    )
    return revision


def care_plan_start(*, membership: Membership, youth_id: Any) -> CarePlan:
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="start care plan")
        if plan.version == 0:
            _revise(plan, membership, "plan_started")
    return plan


def _expect(plan: CarePlan, version: int) -> None:
    if plan.version != version:
        raise EditConflict(current_version=plan.version)


def care_plan_set_state(*, membership: Membership, youth_id: Any, state: str, version: int) -> CarePlan:
    """draft -> active -> under review -> active ... -> closed; a closed plan re-opens to active.
    Closing the whole case (with a reason and aftercare) is ``case_close``."""
    state = _choice(state, PlanState, field="state")
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="change care plan state")
        _expect(plan, version)
        if state not in PLAN_TRANSITIONS[plan.state]:
            raise ValidationError({"state": f"A {plan.state} plan cannot become {state}."})
        plan.state = state
        _revise(plan, membership, "state_changed")
    return plan


def care_plan_set_review(
    *, membership: Membership, youth_id: Any, review_on: datetime.date | None, version: int
) -> CarePlan:
    with transaction.atomic():
        _youth, plan = _open_plan(membership, youth_id, purpose="set care plan review")
        _expect(plan, version)
        plan.review_on = review_on
        _revise(plan, membership, "review_set")
    return plan


def plan_need_add(*, membership: Membership, youth_id: Any, domain: str, description: str = "") -> PlanNeed:
    domain = _choice(domain, NeedDomain, field="domain")
    description = _text(description, field="description")
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add need")
        _refuse_if_closed(plan)
        need = PlanNeed(youth=youth, plan=plan, domain=domain, description=description)
        need.save(force_insert=True)
        _revise(plan, membership, "need_added")
    return need


def plan_goal_add(*, membership: Membership, youth_id: Any, domain: str, in_their_words: str) -> PlanGoal:
    domain = _choice(domain, NeedDomain, field="domain")
    words = _text(in_their_words, field="in_their_words", required=True)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add goal")
        _refuse_if_closed(plan)
        goal = PlanGoal(youth=youth, plan=plan, domain=domain, in_their_words=words)
        goal.save(force_insert=True)
        _revise(plan, membership, "goal_added")
    return goal


def plan_service_add(
    *,
    membership: Membership,
    youth_id: Any,
    domain: str,
    description: str = "",
    provider_id: int | None = None,
    provider_name: str = "",
    started_on: datetime.date | None = None,
) -> PlanService:
    domain = _choice(domain, NeedDomain, field="domain")
    description = _text(description, field="description")
    provider_name = _text(provider_name, field="provider_name", limit=200)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add service")
        _refuse_if_closed(plan)
        provider = None
        if provider_id is not None:
            provider = Organization.objects.filter(pk=provider_id, is_active=True).first()
            if provider is None:
                raise ValidationError({"provider": "Choose a partner organization."})
        elif not provider_name:
            raise ValidationError({"provider": "Say who provides this service."})
        service = PlanService(
            youth=youth,
            plan=plan,
            domain=domain,
            provider=provider,
            provider_name=provider_name,
            description=description,
            started_on=started_on,
        )
        service.save(force_insert=True)
        _revise(plan, membership, "service_added")
    return service


def _team_organizations(youth: Youth) -> set[int]:
    return set(active_team(timezone.now()).filter(youth=youth).values_list("organization_id", flat=True))


def _check_owner(youth: Youth, person_id: int | None, organization_id: int | None) -> tuple[Any, Any]:
    """A task's owner must be on the youth's care team (the person through their organization):
    anyone else could not even see the task."""
    if person_id is None and organization_id is None:
        raise ValidationError({"owner": "Choose who owns this task: a person, a partner, or both."})
    team = _team_organizations(youth)
    organization = None
    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
        if organization is None or organization.pk not in team:
            raise ValidationError({"owner": "That organization is not on this youth's care team."})
    person = None
    if person_id is not None:
        memberships = Membership.objects.filter(
            user_id=person_id, is_active=True, user__is_active=True, organization_id__in=team
        )
        if organization is not None:
            memberships = memberships.filter(organization=organization)
        membership = memberships.select_related("user").first()
        if membership is None:
            raise ValidationError({"owner": "That person is not on this youth's care team."})
        person = membership.user
    return person, organization


def task_add(
    *,
    membership: Membership,
    youth_id: Any,
    title: str,
    owner_person_id: int | None = None,
    owner_organization_id: int | None = None,
    due_on: datetime.date | None = None,
    domain: str = "",
    source: str = TaskSource.PLAN,
    source_id: Any = "",
) -> Task:
    title = _text(title, field="title", required=True, limit=300)
    domain = _choice(domain, NeedDomain, field="domain", blank=True)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="add task")
        _refuse_if_closed(plan)
        return _task_create(
            youth=youth,
            plan=plan,
            membership=membership,
            title=title,
            owner_person_id=owner_person_id,
            owner_organization_id=owner_organization_id,
            due_on=due_on,
            domain=domain,
            source=source,
            source_id=source_id,
        )


def _task_create(
    *,
    youth: Youth,
    plan: CarePlan,
    membership: Membership,
    title: str,
    owner_person_id: int | None,
    owner_organization_id: int | None,
    due_on: datetime.date | None,
    domain: str = "",
    source: str = TaskSource.PLAN,
    source_id: Any = "",
) -> Task:
    person, organization = _check_owner(youth, owner_person_id, owner_organization_id)
    task = Task(
        youth=youth,
        plan=plan,
        title=title,
        domain=domain,
        owner_person=person,
        owner_organization=organization,
        due_on=due_on,
        source=source,
        source_id=str(source_id or "")[:64],
        created_by=membership.user,
    )
    task.save(force_insert=True)
    _revise(plan, membership, "task_added")
    return task


_UNSET: Any = object()


def task_update(
    *,
    membership: Membership,
    youth_id: Any,
    task_id: Any,
    version: int,
    state: str | None = None,
    due_on: datetime.date | None = _UNSET,
    title: str | None = None,
    owner_person_id: int | None = _UNSET,
    owner_organization_id: int | None = _UNSET,
) -> Task:
    """Change a task. ``version`` is the one the person saw; if someone changed it since, nothing is
    written and ``EditConflict`` says so."""
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="update task")
        task = Task.objects.select_for_update().filter(pk=task_id, plan=plan).first()
        if task is None:
            raise Task.DoesNotExist
        task.youth = youth
        if task.version != version:
            raise EditConflict(current_version=task.version)
        fields = ["version"]
        if state is not None:
            task.state = _choice(state, TaskState, field="state")
            task.done_at = timezone.now() if task.state == TaskState.DONE else None
            fields += ["state", "done_at"]
        if due_on is not _UNSET:
            task.due_on = due_on
            task.reminded_on = None
            fields += ["due_on", "reminded_on"]
        if title is not None:
            task.title = _text(title, field="title", required=True, limit=300)
            fields.append("title")
        if owner_person_id is not _UNSET or owner_organization_id is not _UNSET:
            person_id = task.owner_person_id if owner_person_id is _UNSET else owner_person_id
            org_id = task.owner_organization_id if owner_organization_id is _UNSET else owner_organization_id
            task.owner_person, task.owner_organization = _check_owner(youth, person_id, org_id)
            fields += ["owner_person", "owner_organization"]
        task.version += 1
        task.save(update_fields=fields)
        _revise(plan, membership, "task_changed")
    return task


# --- Screenings ---


@dataclass(frozen=True)
class ScreeningRecorded:
    result: ScreeningResult
    score: ScreeningScore
    tasks: tuple[Task, ...]  # created from the band's actions (none if the screener may not write the plan)


def screening_record(
    *,
    membership: Membership,
    youth_id: Any,
    instrument_id: int,
    answers: dict[str, Any],
    screened_on: datetime.date | None = None,
) -> ScreeningRecorded:
    """Score and store a screening with the instrument version used, and turn the band's actions
    into plan tasks owned by the screener (re-screens included, as dated tasks).

    Tasks are created only if the screener may also write the care plan; a partner with screening
    consent alone records the result and the coordinator's team acts on it.
    """
    screened_on = screened_on or _today()
    if screened_on > _today():
        raise ValidationError({"screened_on": "The screening date cannot be in the future."})
    instrument = Instrument.objects.filter(pk=instrument_id, is_active=True).first()
    if instrument is None:
        raise ValidationError({"instrument": "Choose an instrument your agency has loaded."})
    definition = Definition.from_data(instrument.definition)
    try:
        scored = score_answers(definition, answers)
    except AnswerError as exc:
        raise ValidationError({"answers": exc.problems}) from exc
    with transaction.atomic():
        opened = open_youth(
            membership,
            youth_id,
            [Category.SCREENINGS, Category.CARE_PLAN],
            write=True,
            purpose="record screening",
            require=Category.SCREENINGS,
        )
        youth = opened.youth
        rescreen_days = [a.in_days for a in scored.actions if a.kind == "schedule_rescreen" and a.in_days]
        result = ScreeningResult(
            youth=youth,
            instrument=instrument,
            screener=membership.user,
            organization=membership.organization,
            screened_on=screened_on,
            answers=clean_answers(definition, answers),
            section_scores={s.section_id: s.score for s in scored.sections},
            total=scored.total,
            band=scored.band or "",
            band_at_least=scored.band_at_least,
            complete=scored.complete,
            rescreen_due_on=screened_on + datetime.timedelta(days=min(rescreen_days))
            if rescreen_days
            else None,
        )
        result.save(force_insert=True)
        timeline_add(
            youth=youth,
            kind="screening",
            category=Category.SCREENINGS,
            summary=f"Screening recorded ({instrument.slug} {instrument.version})",
            membership=membership,
            object_type="screening",
            object_id=result.pk,
        )
        tasks: list[Task] = []
        if opened.allows(Category.CARE_PLAN):
            plan = CarePlan.objects.select_for_update().filter(youth=youth).first()
            if plan is None:
                plan = CarePlan(youth=youth, version=0)
                plan.save(force_insert=True)
            plan.youth = youth
            if plan.state != PlanState.CLOSED:
                for action in scored.actions:
                    if action.kind == "create_task":
                        title = instrument_text(action.title)
                        due = screened_on + datetime.timedelta(days=action.due_in_days or 0)
                    else:
                        title = f"Re-screen: {instrument.title}"
                        due = screened_on + datetime.timedelta(days=action.in_days or 0)
                    tasks.append(
                        _task_create(
                            youth=youth,
                            plan=plan,
                            membership=membership,
                            title=title[:300],
                            owner_person_id=membership.user.pk,
                            owner_organization_id=membership.organization.pk,
                            due_on=due,
                            source=TaskSource.SCREENING,
                            source_id=result.pk,
                        )
                    )
    return ScreeningRecorded(result=result, score=scored, tasks=tuple(tasks))


# --- Case notes ---

NOTE_FIELDS = ("contact_type", "contact_at", "duration_minutes", "with_whom", "narrative", "sensitive")


def _note_changes(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in NOTE_FIELDS:
            continue  # never mass-assign state, author, version...
        if name == "contact_type":
            clean[name] = _choice(value or "", ContactType, field=name, blank=True)
        elif name == "duration_minutes":
            if value in (None, ""):
                clean[name] = None
            else:
                try:
                    minutes = int(value)
                except (TypeError, ValueError):
                    raise ValidationError({name: "Minutes must be a whole number."}) from None
                if not 0 <= minutes <= 24 * 60:
                    raise ValidationError({name: "Minutes must be between 0 and 1440."})
                clean[name] = minutes
        elif name == "contact_at":
            if value is not None and not isinstance(value, datetime.datetime):
                raise ValidationError({name: "Give a date and time."})
            clean[name] = value
        elif name == "sensitive":
            clean[name] = bool(value)
        else:
            clean[name] = _text(value or "", field=name, limit=20000 if name == "narrative" else 300)
    return clean


def case_note_autosave(
    *, membership: Membership, youth_id: Any, note_id: Any = None, version: int | None = None, **fields: Any
) -> CaseNote:
    """Save what has been typed so far as the author's own draft (called every few seconds from a
    phone). Nothing is required in a draft. The first call creates it; later calls send its id and
    the version they last saw, so a second tab never silently overwrites the first."""
    clean = _note_changes(fields)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CASE_NOTES, write=True, purpose="autosave note")
        if note_id is None:
            note = CaseNote(
                youth=youth, author=membership.user, organization=membership.organization, **clean
            )
            note.save(force_insert=True)
            return note
        note = _own_draft(youth, membership, note_id)
        if version != note.version:
            raise EditConflict(current_version=note.version)
        for name, value in clean.items():
            setattr(note, name, value)
        note.version += 1
        note.updated_at = timezone.now()
        note.save(update_fields=[*clean, "version", "updated_at"])
    return note


def _own_draft(youth: Youth, membership: Membership, note_id: Any) -> CaseNote:
    note = (
        CaseNote.objects.select_for_update()
        .filter(pk=note_id, youth=youth, author=membership.user, state=NoteState.DRAFT)
        .first()
    )
    if note is None:
        raise CaseNote.DoesNotExist
    note.youth = youth
    return note


def case_note_save(
    *, membership: Membership, youth_id: Any, note_id: Any = None, version: int | None = None, **fields: Any
) -> CaseNote:
    """Turn the draft (with what was typed since its last autosave) into a saved note others on the
    team may read; without a draft (``note_id`` None), write and save the note in one go. A saved
    note is not edited afterwards (it is part of the record); a correction is a new note."""
    clean = _note_changes(fields)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CASE_NOTES, write=True, purpose="save note")
        if note_id is None:
            note = CaseNote(youth=youth, author=membership.user, organization=membership.organization)
        else:
            note = _own_draft(youth, membership, note_id)
            if version != note.version:
                raise EditConflict(current_version=note.version)
        for name, value in clean.items():
            setattr(note, name, value)
        if not note.contact_type:
            raise ValidationError({"contact_type": "Say what kind of contact this was."})
        if not note.narrative and note.contact_type != ContactType.ATTEMPTED:
            raise ValidationError({"narrative": "Write a few words about the contact."})
        note.state = NoteState.FINAL
        note.contact_at = note.contact_at or timezone.now()
        note.finalized_at = note.updated_at = timezone.now()
        note.version += 1
        note.save()
        timeline_add(
            youth=youth,
            kind="case_note",
            category=Category.CASE_NOTES,
            summary="Case note",
            membership=membership,
            object_type="case_note",
            object_id=note.pk,
            at=note.contact_at,
        )
    return note


# --- Closure ---


def _require_coordinator_org(membership: Membership) -> None:
    if not may(membership, Action.COORDINATE_CARE):
        raise PermissionDenied


def case_close(*, membership: Membership, youth_id: Any, reason: str, aftercare: str = "") -> CaseClosure:
    """Close the case with a reason and an aftercare plan. Nothing is deleted; the care team stays
    as it is (mentorship may continue after a move)."""
    _require_coordinator_org(membership)
    reason = _choice(reason, ClosureReason, field="reason")
    aftercare = _text(aftercare, field="aftercare", limit=8000)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="close case", lock_youth=True)
        locked = youth
        if locked.status == RecordStatus.CLOSED:
            raise ValidationError({"reason": "This case is already closed."})
        closure = CaseClosure(youth=youth, reason=reason, aftercare=aftercare, closed_by=membership.user)
        closure.save(force_insert=True)
        _set_record_status(locked, RecordStatus.CLOSED)
        if plan.state != PlanState.CLOSED:
            plan.state = PlanState.CLOSED
            _revise(plan, membership, "state_changed")
        timeline_add(
            youth=youth,
            kind="case_closed",
            category=Category.CARE_PLAN,
            summary=f"Case closed: {ClosureReason(reason).label}",
            membership=membership,
            object_type="case_closure",
            object_id=closure.pk,
        )
    return closure


def case_reopen(*, membership: Membership, youth_id: Any) -> CaseClosure:
    """Re-engagement is normal: re-open with the whole history and the same team."""
    _require_coordinator_org(membership)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="re-open case", lock_youth=True)
        locked = youth
        closure = (
            CaseClosure.objects.select_for_update().filter(youth=youth, reopened_at__isnull=True).first()
        )
        if locked.status != RecordStatus.CLOSED or closure is None:
            raise ValidationError({"reason": "This case is open."})
        closure.reopened_at = timezone.now()
        closure.reopened_by = membership.user
        closure.save(update_fields=["reopened_at", "reopened_by"])
        _set_record_status(locked, RecordStatus.OPEN)
        if plan.state == PlanState.CLOSED:
            plan.state = PlanState.ACTIVE
            _revise(plan, membership, "state_changed")
        timeline_add(
            youth=youth,
            kind="case_reopened",
            category=Category.CARE_PLAN,
            summary="Case re-opened",
            membership=membership,
            object_type="case_closure",
            object_id=closure.pk,
        )
    return closure


def _set_record_status(youth: Youth, status: str) -> None:
    youth.status = status
    youth.version += 1  # someone editing the record from an older version gets a conflict, not a lost update
    youth.updated_at = timezone.now()
    youth.save(update_fields=["status", "version", "updated_at"])


# --- Overdue reminders (run daily by the worker) ---


def tasks_remind_overdue(*, today: datetime.date | None = None) -> int:
    """E-mail each person who owns overdue open tasks, at most once a day, with a count and a link
    only: never a youth's name or a task's text (rule 3). Idempotent for the day."""
    today = today or _today()
    reminded = 0
    with transaction.atomic():
        due = (
            Task.objects.select_for_update()
            .filter(due_on__lt=today, owner_person__isnull=False, owner_person__is_active=True)
            .exclude(state=TaskState.DONE)
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        )
        by_person: dict[int, list[Task]] = {}
        emails: dict[int, str] = {}
        for task in due.select_related("owner_person"):
            assert task.owner_person is not None
            by_person.setdefault(task.owner_person.pk, []).append(task)
            emails[task.owner_person.pk] = task.owner_person.email
        for person_id, tasks in by_person.items():
            count = len(tasks)
            send_mail(
                "Threadline: overdue tasks",
                f"You have {count} overdue task{'s' if count != 1 else ''} in Threadline. "
                "Sign in and open My work to see them.",
                None,
                [emails[person_id]],
            )
            Task.objects.filter(pk__in=[t.pk for t in tasks]).update(reminded_on=today)
            reminded += 1
    return reminded


# --- Meetings ---


def _team_orgs_from(youth: Youth, organization_ids: Iterable[int], *, field: str) -> list[Organization]:
    ids = set(organization_ids)
    if not ids:
        return []
    team = _team_organizations(youth)
    if not ids <= team:
        raise ValidationError({field: "Only organizations on this youth's care team can be invited."})
    return list(Organization.objects.filter(pk__in=ids))


def meeting_schedule(
    *,
    membership: Membership,
    youth_id: Any,
    meeting_type: str,
    scheduled_at: datetime.datetime,
    invited_ids: Iterable[int] = (),
    agenda: str = "",
) -> Meeting:
    meeting_type = _choice(meeting_type, MeetingType, field="meeting_type")
    if meeting_type in MEETINGS_WITHOUT_YOUTH:
        raise ValidationError({"meeting_type": "The advisory council is not about one youth."})
    agenda = _text(agenda, field="agenda", limit=8000)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="schedule meeting")
        invited = _team_orgs_from(youth, invited_ids, field="invited")
        meeting = Meeting(
            youth=youth,
            meeting_type=meeting_type,
            scheduled_at=scheduled_at,
            agenda=agenda,
            created_by=membership.user,
        )
        meeting.save(force_insert=True)
        meeting.invited.set(invited)
        timeline_add(
            youth=youth,
            kind="meeting_scheduled",
            category=Category.CARE_PLAN,
            summary=f"Meeting scheduled: {MeetingType(meeting_type).label}",
            membership=membership,
            object_type="meeting",
            object_id=meeting.pk,
        )
    return meeting


def meeting_record(
    *,
    membership: Membership,
    youth_id: Any,
    meeting_id: Any,
    version: int,
    attended_ids: Iterable[int] = (),
    notes: str = "",
    decisions: str = "",
    held_at: datetime.datetime | None = None,
) -> Meeting:
    """What happened at the meeting. Versioned: two note-takers never overwrite each other."""
    notes = _text(notes, field="notes", limit=20000)
    decisions = _text(decisions, field="decisions", limit=8000)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="record meeting")
        meeting = Meeting.objects.select_for_update().filter(pk=meeting_id, youth=youth).first()
        if meeting is None:
            raise Meeting.DoesNotExist
        meeting.youth = youth
        if meeting.version != version:
            raise EditConflict(current_version=meeting.version)
        attended = _team_orgs_from(youth, attended_ids, field="attended")
        meeting.notes = notes
        meeting.decisions = decisions
        meeting.held_at = held_at or meeting.held_at or timezone.now()
        meeting.version += 1
        meeting.save(update_fields=["notes", "decisions", "held_at", "version"])
        meeting.attended.set(attended)
        timeline_add(
            youth=youth,
            kind="meeting_held",
            category=Category.CARE_PLAN,
            summary=f"Meeting held: {MeetingType(meeting.meeting_type).label}",
            membership=membership,
            object_type="meeting",
            object_id=meeting.pk,
        )
    return meeting


def meeting_action_item_add(
    *,
    membership: Membership,
    youth_id: Any,
    meeting_id: Any,
    title: str,
    owner_person_id: int | None = None,
    owner_organization_id: int | None = None,
    due_on: datetime.date | None = None,
) -> Task:
    """An action item agreed at a meeting becomes a task on the plan, linked to the meeting."""
    title = _text(title, field="title", required=True, limit=300)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="meeting action item")
        _refuse_if_closed(plan)
        if not Meeting.objects.filter(pk=meeting_id, youth=youth).exists():
            raise Meeting.DoesNotExist
        return _task_create(
            youth=youth,
            plan=plan,
            membership=membership,
            title=title,
            owner_person_id=owner_person_id,
            owner_organization_id=owner_organization_id,
            due_on=due_on,
            source=TaskSource.MEETING,
            source_id=meeting_id,
        )


def missing_episode_follow_up(
    *, membership: Membership, youth_id: Any, episode_id: Any, roundtable_at: datetime.datetime | None = None
) -> tuple[Meeting, list[Task]]:
    """After a youth returns from a missing episode: schedule a recovery roundtable and add the
    next steps (return debrief if not done yet, roundtable) owned by the person who records it."""
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="missing episode follow-up")
        episode = MissingEpisode.objects.filter(pk=episode_id, youth=youth).first()
        if episode is None:
            raise MissingEpisode.DoesNotExist
        return _recovery_roundtable(youth, plan, membership, episode, roundtable_at)


def missing_episode_return(
    *,
    membership: Membership,
    youth_id: Any,
    episode_id: Any,
    ended_at: datetime.datetime,
    debrief: str = "",
    roundtable: bool = True,
) -> tuple[MissingEpisode, Meeting | None]:
    """A missing youth is back: record the return and, if asked, offer the recovery roundtable (with
    its next steps). One transaction: a refused return schedules nothing."""
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.CARE_PLAN, write=True, purpose="return from missing"
        )
        episode = missing_episode_end(
            youth=youth, membership=membership, episode_id=episode_id, ended_at=ended_at, debrief=debrief
        )
        if not roundtable:
            return episode, None
        meeting, _tasks = _recovery_roundtable(youth, _lock_plan(youth), membership, episode, None)
    return episode, meeting


def _recovery_roundtable(
    youth: Youth,
    plan: CarePlan,
    membership: Membership,
    episode: MissingEpisode,
    roundtable_at: datetime.datetime | None,
) -> tuple[Meeting, list[Task]]:
    episode.youth = youth
    when = roundtable_at or timezone.now() + datetime.timedelta(days=2)
    meeting = Meeting(
        youth=youth,
        meeting_type=MeetingType.RECOVERY_ROUNDTABLE,
        scheduled_at=when,
        agenda="",
        created_by=membership.user,
    )
    meeting.save(force_insert=True)
    timeline_add(
        youth=youth,
        kind="meeting_scheduled",
        category=Category.CARE_PLAN,
        summary=f"Meeting scheduled: {MeetingType.RECOVERY_ROUNDTABLE.label}",
        membership=membership,
        object_type="meeting",
        object_id=meeting.pk,
    )
    tasks = []
    if plan.state != PlanState.CLOSED:
        steps = [("Hold the recovery roundtable", timezone.localdate(when))]
        if episode.debrief_done_on is None:
            steps.insert(0, ("Return debrief with the youth", _today() + datetime.timedelta(days=1)))
        for title, due in steps:
            tasks.append(
                _task_create(
                    youth=youth,
                    plan=plan,
                    membership=membership,
                    title=title,
                    owner_person_id=membership.user.pk,
                    owner_organization_id=membership.organization.pk,
                    due_on=due,
                    source=TaskSource.MISSING,
                    source_id=episode.pk,
                )
            )
    return meeting, tasks


# --- Safety plan ---

SAFETY_FIELDS = (
    "risks_and_triggers",
    "warning_signs",
    "safe_people",
    "code_words",
    "technology_safety",
    "if_missing",
)
LOCATION_FIELDS = ("safe_places",)


def safety_plan_save(
    *,
    membership: Membership,
    youth_id: Any,
    version: int,
    review_on: datetime.date | None = _UNSET,
    **fields: str,
) -> SafetyPlan:
    """Save the safety plan. Safe places are location data: changing them needs the location
    category too. ``version`` is the one the person started from (0 for a new plan)."""
    unknown = set(fields) - set(SAFETY_FIELDS) - set(LOCATION_FIELDS)
    if unknown:
        raise ValidationError({name: "Not part of a safety plan." for name in sorted(unknown)})
    clean = {name: _text(value, field=name, limit=8000) for name, value in fields.items()}
    with transaction.atomic():
        wanted = (
            [Category.CARE_PLAN, Category.LOCATION]
            if set(clean) & set(LOCATION_FIELDS)
            else [Category.CARE_PLAN]
        )
        opened = open_youth(
            membership, youth_id, wanted, write=True, purpose="edit safety plan", require=Category.CARE_PLAN
        )
        if set(clean) & set(LOCATION_FIELDS) and not opened.allows(Category.LOCATION):
            raise PermissionDenied
        youth = opened.youth
        plan = SafetyPlan.objects.select_for_update().filter(youth=youth).first()
        if plan is None:
            plan = SafetyPlan(youth=youth)
            created = True
        else:
            created = False
        plan.youth = youth
        if plan.version != version:
            raise EditConflict(current_version=plan.version)
        for name, value in clean.items():
            setattr(plan, name, value)
        if review_on is not _UNSET:
            plan.review_on = review_on
        plan.version += 1
        plan.updated_at = timezone.now()
        plan.updated_by = membership.user
        if created:
            plan.save(force_insert=True)
        else:
            plan.save()
        timeline_add(
            youth=youth,
            kind="safety_plan",
            category=Category.CARE_PLAN,
            summary="Safety plan updated",
            membership=membership,
            object_type="safety_plan",
            object_id=plan.pk,
        )
    return plan


# --- Stage of change and outcome check-ins ---


def stage_assess(
    *,
    membership: Membership,
    youth_id: Any,
    stage: str,
    assessed_on: datetime.date | None = None,
    note: str = "",
) -> StageAssessment:
    """Record the stage of change. Moving back is recorded as "returned to an earlier stage",
    a normal part of change, never as failure."""
    stage = _choice(stage, Stage, field="stage")
    note = _text(note, field="note", limit=4000)
    assessed_on = assessed_on or _today()
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="stage of change")
        previous = (
            StageAssessment.objects.filter(youth=youth, assessed_on__lte=assessed_on)
            .order_by("-assessed_on", "-recorded_at")
            .values_list("stage", flat=True)
            .first()
        )
        assessment = StageAssessment(
            youth=youth,
            stage=stage,
            movement=stage_movement(previous, stage),
            assessed_on=assessed_on,
            note=note,
            by=membership.user,
            organization=membership.organization,
        )
        assessment.save(force_insert=True)
        timeline_add(
            youth=youth,
            kind="stage_of_change",
            category=Category.CARE_PLAN,
            summary=f"Stage of change: {Stage(stage).label}",
            membership=membership,
            object_type="stage_assessment",
            object_id=assessment.pk,
        )
    return assessment


def outcome_check_in(
    *,
    membership: Membership,
    youth_id: Any,
    ratings: dict[str, Any],
    measured_on: datetime.date | None = None,
) -> OutcomeCheckIn:
    try:
        clean = clean_check_in(ratings)
    except CheckInError as exc:
        raise ValidationError(exc.problems) from exc
    if not clean:
        raise ValidationError({"ratings": "Rate at least one measure."})
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="outcome check-in")
        check_in = OutcomeCheckIn(
            youth=youth,
            measured_on=measured_on or _today(),
            ratings=clean,
            by=membership.user,
            organization=membership.organization,
        )
        check_in.save(force_insert=True)
        timeline_add(
            youth=youth,
            kind="outcome_check_in",
            category=Category.CARE_PLAN,
            summary="Outcome check-in",
            membership=membership,
            object_type="outcome_check_in",
            object_id=check_in.pk,
        )
    return check_in


def plan_item_mark(
    *,
    membership: Membership,
    youth_id: Any,
    kind: str,
    item_id: Any,
    done: bool,
    on: datetime.date | None = None,
) -> PlanNeed | PlanGoal:
    """Mark a need met or a goal achieved (or undo it). Versioned like every plan change."""
    model: type[PlanNeed] | type[PlanGoal]
    if kind == "need":
        model, field, change = PlanNeed, "met_on", "need_changed"
    elif kind == "goal":
        model, field, change = PlanGoal, "achieved_on", "goal_changed"
    else:
        raise ValidationError({"kind": "Choose a need or a goal."})
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose=f"update {kind}")
        _refuse_if_closed(plan)
        item = model.objects.select_for_update().filter(pk=item_id, plan=plan).first()
        if item is None:
            raise model.DoesNotExist
        item.youth = youth
        setattr(item, field, (on or _today()) if done else None)
        item.save(update_fields=[field])
        _revise(plan, membership, change)
    return item
