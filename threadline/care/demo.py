"""Demo data for care coordination (fictional): the demo screening instrument (our own, clearly
marked), and for two demo youths a care plan with tasks for partners, a meeting whose action item
became a task, a screening, a case note, a safety plan and progress check-ins."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threadline.access.categories import Category
from threadline.accounts.demo import demo_membership
from threadline.accounts.models import Membership, Organization
from threadline.care.instruments import DEMO_INSTRUMENT, load_file
from threadline.care.models import CarePlan
from threadline.care.services.instruments import instrument_load
from threadline.care.services.meetings import meeting_schedule
from threadline.care.services.notes import case_note_autosave, case_note_save
from threadline.care.services.plan import (
    care_plan_set_state,
    care_plan_start,
    plan_goal_add,
    plan_need_add,
    plan_service_add,
)
from threadline.care.services.progress import outcome_check_in, stage_assess
from threadline.care.services.safety import safety_plan_save
from threadline.care.services.screenings import screening_record
from threadline.care.services.tasks import task_add
from threadline.demo import Log
from threadline.intake import demo_moves
from threadline.youth.models import Youth
from threadline.youth.policy import visible_youth

ORDER = 60  # after the demo people (10) and youths (40)


def _org(name: str) -> int | None:
    return Organization.objects.filter(name=name).values_list("pk", flat=True).first()


def load(log: Log) -> None:
    demo_moves.load(log)  # issue 14: a relocated youth and a transfer (needs the demo youths: ORDER 40)
    loaded = instrument_load(
        definition=load_file(DEMO_INSTRUMENT), licence_attestation="", source=str(DEMO_INSTRUMENT)
    )
    state = "loaded" if loaded.created else "already there"
    log(f"demo screening instrument {loaded.instrument} ({state})")
    coordinator = demo_membership("coordinator")
    youth = (
        visible_youth(coordinator, Category.RECORD)
        .select_related("data_key")
        .filter(reference="Y-DEMCAA")
        .first()
        if coordinator is not None
        else None
    )
    if coordinator is None or youth is None:
        log("no demo youth to plan for (load the youth demo first)")
        return
    if CarePlan.objects.filter(youth=youth).exists():
        log("demo care plan already present")
        return
    try:
        _plan_for(coordinator, youth, loaded.instrument.pk)
    except ValidationError as exc:  # a demo team that differs from what we expect: say so, load the rest
        log(f"demo care plan skipped: {'; '.join(exc.messages)}")
        return
    log("demo care plan for Y-DEMCAA")


def _plan_for(m: Membership, youth: Youth, instrument_id: int) -> None:
    today = timezone.localdate()
    dfps = _org("Bluebonnet DFPS Regional Office")
    probation = _org("Limestone County Juvenile Probation")
    with transaction.atomic():
        y = youth.pk
        care_plan_start(membership=m, youth_id=y)
        plan_need_add(membership=m, youth_id=y, domain="housing", description="A stable place to stay")
        plan_need_add(membership=m, youth_id=y, domain="education", description="Back to school")
        plan_goal_add(
            membership=m, youth_id=y, domain="education", in_their_words="I want to graduate with my friends"
        )
        plan_goal_add(
            membership=m, youth_id=y, domain="family", in_their_words="See my little brother on weekends"
        )
        plan_service_add(
            membership=m,
            youth_id=y,
            domain="behavioral_health",
            provider_name="Pecan Grove Counseling",
            description="Weekly trauma-focused counselling",
        )
        if dfps:
            task_add(
                membership=m,
                youth_id=y,
                title="Confirm kinship placement paperwork",
                owner_organization_id=dfps,
                due_on=today + datetime.timedelta(days=5),
            )
        if probation:
            task_add(
                membership=m,
                youth_id=y,
                title="Ask the court to move the hearing after exams",
                owner_organization_id=probation,
                due_on=today - datetime.timedelta(days=2),
            )
        plan = CarePlan.objects.get(youth=youth)
        care_plan_set_state(membership=m, youth_id=y, state="active", version=plan.version)
        meeting = meeting_schedule(
            membership=m,
            youth_id=y,
            meeting_type="care_coordination",
            scheduled_at=timezone.now() + datetime.timedelta(days=3),
            invited_ids=[o for o in (dfps, probation) if o],
            agenda="School re-entry; visits with brother",
        )
        task_add(
            membership=m,
            youth_id=y,
            meeting_id=meeting.pk,
            title="Set up a school re-entry meeting",
            owner_person_id=m.user.pk,
            owner_organization_id=m.organization.pk,
            due_on=today,
        )
        screening_record(
            membership=m,
            youth_id=y,
            instrument_id=instrument_id,
            answers={
                "safe_tonight": "yes",
                "enough_food": "not_sure",
                "clinic_access": "yes",
                "worried": "often",
                "sleep_trouble": "sometimes",
                "felt_alone": "often",
                "trusted_adult": "yes",
                "who_to_call": "not_sure",
            },
            screened_on=today - datetime.timedelta(days=1),
        )
        draft = case_note_autosave(
            membership=m,
            youth_id=y,
            contact_type="in_person",
            duration_minutes=40,
            with_whom="Youth and grandmother",
            narrative="Met at the library. Talked about school and weekend visits. Youth chose the goals.",
        )
        case_note_save(membership=m, youth_id=y, note_id=draft.pk, version=draft.version)
        safety_plan_save(
            membership=m,
            youth_id=y,
            version=0,
            warning_signs="New older 'friends' offering rides or gifts",
            safe_people="Grandmother; advocate Jordan",
            code_words="purple sneakers",
            technology_safety="Location sharing off; new phone number",
            if_missing="Text the advocate the code word; call the hotline",
            review_on=today + datetime.timedelta(days=30),
        )
        stage_assess(
            membership=m, youth_id=y, stage="contemplation", assessed_on=today - datetime.timedelta(days=60)
        )
        stage_assess(membership=m, youth_id=y, stage="preparation", assessed_on=today)
        outcome_check_in(
            membership=m,
            youth_id=y,
            ratings={"safe_housing": 3, "social_support": 4, "emotional_stability": 2},
        )
