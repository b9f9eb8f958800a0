"""Demo intake setup (fictional people): the demo programs belong to the demo Care Coordinator, with
on-call regions and a rota that covers today, so the demo advocate receives urgent alerts."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from threadline.accounts.models import Organization, User
from threadline.demo import DEMO_EMAIL_DOMAIN, Log
from threadline.intake.demo_programs import PROGRAMS, install
from threadline.intake.models import CountyRule, OnCallPhone, Program, Region, RuleVersion, Shift
from threadline.intake.routing import demo_routing_install

ORDER = 20
CARE_COORDINATOR = "Mesquite Valley Children's Advocacy Center"

# Fictional numbers from the 555-01xx range reserved for fiction.
PHONES = {"advocate": "+12105550101", "coordinator": "+12105550102", "supervisor": "+12105550103"}


def _person(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DEMO_EMAIL_DOMAIN}").first()


def load(log: Log) -> None:
    with transaction.atomic():
        install(Program, RuleVersion, CountyRule)
        organization = Organization.objects.filter(name=CARE_COORDINATOR).first()
        advocate, coordinator, supervisor = _person("advocate"), _person("coordinator"), _person("supervisor")
        shifts = 0
        start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        for spec in PROGRAMS:
            program = Program.objects.get(slug=spec["slug"])
            if organization is not None and program.organization_id is None:
                program.organization = organization
                program.save(update_fields=["organization"])
            demo_routing_install(program=program, regions=spec["routing"], default=spec["default_region"])
            for name in spec["regions"]:
                region, _ = Region.objects.get_or_create(program=program, name=name)
                if advocate is None:
                    continue
                covered = Shift.objects.filter(
                    region=region, starts_at__lte=start, ends_at__gt=start + timedelta(days=14)
                )
                if not covered.exists():
                    Shift.objects.create(
                        region=region,
                        starts_at=start,
                        ends_at=start + timedelta(days=30),
                        primary=advocate,
                        backup=coordinator,
                        supervisor=supervisor,
                    )
                    shifts += 1
        for local, number in PHONES.items():
            person = _person(local)
            if person is not None:
                OnCallPhone.objects.get_or_create(user=person, defaults={"sms_number": number})
    log(f"{len(PROGRAMS)} programs, on-call shifts added: {shifts}")
