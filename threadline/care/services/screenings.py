"""Recording a screening: answers, score, band and the follow-up it asks for."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.care import timeline_messages as msg
from threadline.care.choices import (
    PlanState,
)
from threadline.care.instruments import AnswerError, Definition, ScreeningScore
from threadline.care.instruments import score as score_answers
from threadline.care.instruments import text as instrument_text
from threadline.care.instruments.scoring import clean_answers
from threadline.care.models import (
    Instrument,
    ScreeningResult,
    Task,
    TaskSource,
)
from threadline.care.services.base import _lock_plan, _on_timeline, _today
from threadline.care.services.tasks import _task_create
from threadline.youth.models import Youth
from threadline.youth.policy import open_youth


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
        raise ValidationError({"screened_on": _("The screening date cannot be in the future.")})
    instrument = Instrument.objects.filter(pk=instrument_id, is_active=True).first()
    if instrument is None:
        raise ValidationError({"instrument": _("Choose an instrument your agency has loaded.")})
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
        _on_timeline(
            membership,
            youth,
            result,
            "screening",
            msg.SCREENING_RECORDED(instrument=instrument.slug, version=str(instrument.version)),
            category=Category.SCREENINGS,
        )
        tasks = _band_tasks(youth, membership, result, scored) if opened.allows(Category.CARE_PLAN) else []
    return ScreeningRecorded(result=result, score=scored, tasks=tuple(tasks))


def _band_tasks(
    youth: Youth, membership: Membership, result: ScreeningResult, scored: ScreeningScore
) -> list[Task]:
    """The band's actions as next steps on the plan (not on a closed plan), owned by the screener."""
    plan = _lock_plan(youth)
    if plan.state == PlanState.CLOSED:
        return []
    instrument, screened_on = result.instrument, result.screened_on
    tasks = []
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
    return tasks
