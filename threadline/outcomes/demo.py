"""Demo data for the dashboards: a generated, fictional caseload of a few hundred youths over two
years across the demo counties (``outcomes.demo_generate``), so every chart shows real variation. Runs
after the demo people, programs, youths and instrument; running it again changes nothing."""

from __future__ import annotations

from django.utils import timezone

from threadline.accounts.demo import demo_membership
from threadline.care.models import Instrument
from threadline.demo import Log
from threadline.intake.models import Program
from threadline.outcomes import demo_generate as generate
from threadline.outcomes.demo_caseload_services import CaseloadSetting, generated_caseload_write
from threadline.outcomes.selectors import generated_caseload_size

ORDER = 70
YOUTHS = 400
SEED = 20261201
PROGRAM_SLUGS = ("demo-five-county", "demo-central-texas")


def load(log: Log) -> None:
    coordinator, advocate = demo_membership("coordinator"), demo_membership("advocate")
    if coordinator is None or advocate is None:
        log("no demo coordinator: load the demo people first")
        return
    present = generated_caseload_size(organization_id=coordinator.organization_id)
    if present >= YOUTHS:
        log(f"generated demo caseload already present ({present} youths)")
        return
    if present:
        log(f"a partial generated caseload ({present} youths) is present: left as it is")
        return
    programs = tuple(
        Program.objects.filter(slug__in=PROGRAM_SLUGS).order_by("slug").values_list("pk", flat=True)
    )
    instrument = Instrument.objects.filter(is_active=True, is_demo=True).values_list("pk", flat=True).first()
    setting = CaseloadSetting(
        organization_id=coordinator.organization_id,
        advocate_id=advocate.user_id,
        coordinator_id=coordinator.user_id,
        program_ids=programs,
        instrument_id=instrument,
    )
    plan = generate.plan(
        seed=SEED, youths=YOUTHS, end=timezone.localdate(), tz=timezone.get_current_timezone()
    )
    written = generated_caseload_write(
        setting=setting, youths=plan.youths, others=plan.other_referrals, searchable=True
    )
    log(
        f"generated demo caseload: {written} fictional youths over two years, {len(plan.other_referrals)} other referrals"
    )
