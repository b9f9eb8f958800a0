"""Demo data for issue 14 (fictional): a youth who moved from their county to the Waco region of the
central-Texas demo program (the record followed them), and a transfer waiting for a second Care
Coordinator organization's program to accept it. Sign in as ``receiving@…`` to accept it and see what
travels (only what the youth consented to share). Idempotent. Called by ``care/demo.py`` (after the
demo youths exist)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from threadline.access.categories import Category
from threadline.accounts.demo import demo_coordinator
from threadline.accounts.models import Membership, Organization, User
from threadline.core.roles import OrganizationType, Role
from threadline.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, Log
from threadline.intake.models import CountyRule, Program, Region, Relocation, RuleVersion, Shift, Transfer
from threadline.intake.move_services import youth_relocate
from threadline.intake.transfer_services import transfer_request
from threadline.youth.models import Youth
from threadline.youth.policy import visible_youth
from threadline.youth.selectors import youth_record

RECEIVING_ORG = "Huisache Youth Advocacy Network"
RECEIVING_SLUG = "demo-hill-country"
RECEIVING_NAME = "Demo Hill Country youth network"
RECEIVING_COUNTIES = ["Llano", "Burnet", "Gillespie", "Blanco"]
MOVED = "Y-DEMCAF"  # moves to McLennan County: the Waco region
TRANSFERRED = "Y-DEMCAD"  # a transfer to the Hill Country program, waiting for an answer


def _receiving_program() -> Program:
    org, _ = Organization.objects.get_or_create(
        name=RECEIVING_ORG,
        defaults={"org_type": OrganizationType.CSEY_ADVOCACY, "is_care_coordinator": True, "county": "Llano"},
    )
    person = User.objects.filter(email=f"receiving@{DEMO_EMAIL_DOMAIN}").first()
    if person is None:
        person = User.objects.create_user(
            email=f"receiving@{DEMO_EMAIL_DOMAIN}",
            password=DEMO_PASSWORD,
            full_name="Sage Demo-Receiving",
            is_demo=True,
        )
    Membership.objects.get_or_create(user=person, organization=org, role=Role.CARE_COORDINATOR)
    program, created = Program.objects.get_or_create(
        slug=RECEIVING_SLUG, defaults={"name": RECEIVING_NAME, "is_demo": True, "organization": org}
    )
    if created:
        version = RuleVersion.objects.create(
            program=program,
            number=1,
            connections=["resides", "physically_present"],
            note="demo configuration",
        )
        for county in RECEIVING_COUNTIES:
            CountyRule.objects.create(version=version, county=county, max_age=24)
        region = Region.objects.create(
            program=program,
            name="Hill Country",
            counties=RECEIVING_COUNTIES,
            is_default=True,
            coordinator=person,
        )
        start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        Shift.objects.create(
            region=region, starts_at=start, ends_at=start + datetime.timedelta(days=30), primary=person
        )
    return program


def _youth(coordinator: Membership, reference: str) -> Youth | None:
    return visible_youth(coordinator, Category.RECORD).filter(reference=reference).first()


def load(log: Log) -> None:
    coordinator = demo_coordinator(log)
    if coordinator is None:
        return
    with transaction.atomic():
        program = _receiving_program()
        waco = Region.objects.filter(program__slug="demo-central-texas", name="Waco").first()
        moved = _youth(coordinator, MOVED)
        if waco is not None and moved is not None and not Relocation.objects.filter(youth=moved).exists():
            if waco.coordinator_id is None:
                waco.coordinator = coordinator.user
                waco.save(update_fields=["coordinator"])
            youth_relocate(
                membership=coordinator,
                youth_id=moved.pk,
                region_id=waco.pk,
                county="McLennan",
                keep_advocate=True,
            )
        sent = _youth(coordinator, TRANSFERRED)
        if sent is not None and not Transfer.objects.filter(youth=sent).exists():
            household = youth_record(
                membership=coordinator, youth_id=sent.pk, purpose="demo transfer"
            ).household
            guardian = next((m for m in household if m.is_guardian and not m.alleged_exploiter), None)
            transfer_request(
                membership=coordinator,
                youth_id=sent.pk,
                to_program_id=program.pk,
                categories=[Category.IDENTITY, Category.CARE_PLAN],
                given_by="youth",
                guardian_id=guardian.pk if guardian else None,
                minor_may_consent_alone=guardian is None,
                expires_at=timezone.now() + datetime.timedelta(days=90),
                signed_form_name="paper form in the file",
            )
    log(f"relocated youth {MOVED}; transfer of {TRANSFERRED} to {program.name} (sign in as receiving@)")
