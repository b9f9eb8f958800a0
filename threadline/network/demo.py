"""Demo partner network (fictional): agreements with the demo partners (one ending soon), an advisory
council with a meeting and its action items, two trainings and an agency's action plan."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from threadline.access.agreements import AgreementKind as K
from threadline.access.agreements import PartnerAgreement
from threadline.access.categories import Category as C
from threadline.accounts.models import Membership, Organization
from threadline.demo import DEMO_EMAIL_DOMAIN, Log
from threadline.network import agreement_services, meeting_services, training_services
from threadline.network.models import CouncilMemberKind, ProgramMeetingKind, TrainingKind

ORDER = 80  # after the demo people (10) and the youths' releases (40): agreements bound the next ones

AGREEMENTS = [
    # partner, kind, categories, signed (days ago), ends (days from today; None: until ended)
    (
        "Bluebonnet DFPS Regional Office",
        K.DATA_SHARING,
        [C.IDENTITY, C.CARE_PLAN, C.CASE_NOTES, C.LEGAL],
        400,
        330,
    ),
    ("Limestone County Juvenile Probation", K.MOU, [C.CARE_PLAN, C.LEGAL, C.EDUCATION], 200, 530),
    ("Pecan Grove Counseling", K.DATA_SHARING, [C.IDENTITY, C.HEALTH, C.SCREENINGS, C.CARE_PLAN], 90, None),
    ("Caliche CASA", K.MOU, [C.IDENTITY, C.CARE_PLAN, C.EDUCATION], 700, 21),  # ends soon: reminded
    ("Riverbend Police Department", K.LETTER_OF_SUPPORT, [], 150, None),
]


def _org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def load(log: Log) -> None:
    admin = Membership.objects.select_related("organization", "user").get(
        user__email=f"programadmin@{DEMO_EMAIL_DOMAIN}"
    )
    if PartnerAgreement.objects.filter(program_organization=admin.organization).exists():
        log("network: already loaded")
        return
    today = timezone.localdate()
    with transaction.atomic():
        for name, kind, categories, signed_ago, ends_in in AGREEMENTS:
            agreement_services.agreement_record(
                membership=admin,
                partner_id=_org(name).pk,
                kind=kind,
                categories=categories,
                signed_on=today - datetime.timedelta(days=signed_ago),
                expires_on=today + datetime.timedelta(days=ends_in) if ends_in is not None else None,
                contacts="Program liaison (fictional), liaison@example.test",
            )
        _council(admin, today)
        _trainings(admin, today)
    log(f"network: {len(AGREEMENTS)} agreements, a council meeting, two trainings, an action plan")


def _council(admin: Membership, today: datetime.date) -> None:
    present = [
        meeting_services.council_member_add(
            membership=admin, kind=CouncilMemberKind.ORGANIZATION, organization_id=_org(n).pk
        )
        for n in ("Bluebonnet DFPS Regional Office", "Limestone County Juvenile Probation", "Caliche CASA")
    ]
    present.append(
        meeting_services.council_member_add(
            membership=admin, kind=CouncilMemberKind.SURVIVOR_LEADER, name="Marisol (survivor leader)"
        )
    )
    when = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=14), datetime.time(10))
    )
    meeting = meeting_services.program_meeting_schedule(
        membership=admin,
        kind=ProgramMeetingKind.ADVISORY_COUNCIL,
        scheduled_at=when,
        title="Quarterly advisory council",
        agenda="1. Referral numbers this quarter\n2. Rural transport gaps\n3. Survivor-leader pay policy",
    )
    meeting_services.program_meeting_record(
        membership=admin,
        meeting_id=meeting.pk,
        version=meeting.version,
        minutes="Partners reviewed the quarter's de-identified figures. Transport in rural counties remains the main gap.",
        decisions="Survivor leaders on the council are paid for their time. Transport vouchers are piloted in two counties.",
        present_ids=[m.pk for m in present],
        held_at=when,
    )
    for owner, title, days in (
        (
            "Limestone County Juvenile Probation",
            "Share the rural transport survey with probation officers",
            30,
        ),
        ("Caliche CASA", "Draft the transport-voucher pilot guidelines", 45),
    ):
        meeting_services.meeting_action_item_add(
            membership=admin,
            meeting_id=meeting.pk,
            title=title,
            owner_organization_id=_org(owner).pk,
            due_on=today + datetime.timedelta(days=days),
        )


def _trainings(admin: Membership, today: datetime.date) -> None:
    training = training_services.training_record(
        membership=admin,
        topic="Recognizing commercial sexual exploitation of youth",
        delivered_on=today - datetime.timedelta(days=30),
        hours=Decimal("3"),
        audience="Caseworkers and probation officers",
        materials="Slides: CSE indicators (v3); handout: trauma-informed first conversations",
        attendance=[
            (_org("Bluebonnet DFPS Regional Office").pk, 14),
            (_org("Limestone County Juvenile Probation").pk, 9),
        ],
    )
    training_services.training_record(
        membership=admin,
        kind=TrainingKind.TECHNICAL_ASSISTANCE,
        topic="Setting up a screening workflow",
        delivered_on=today - datetime.timedelta(days=10),
        hours=Decimal("1.5"),
        audience="Intake staff",
        attendance=[(_org("Pecan Grove Counseling").pk, 4)],
    )
    plan = training_services.action_plan_create(
        membership=admin,
        partner_id=_org("Limestone County Juvenile Probation").pk,
        title="Screening every youth referred for running away",
        training_id=training.pk,
    )
    for title, days in (
        ("Name a screening lead in each unit", 14),
        ("Screen at intake and log the referral", 60),
    ):
        training_services.action_plan_item_add(
            membership=admin, plan_id=plan.pk, title=title, due_on=today + datetime.timedelta(days=days)
        )
