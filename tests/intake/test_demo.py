"""Demo loading is idempotent and gives the demo advocate a shift covering today."""

from __future__ import annotations

import pytest
from django.utils import timezone

from threadline.accounts import demo as accounts_demo
from threadline.intake import demo, oncall
from threadline.intake.models import Program, Region, RuleVersion, Shift

pytestmark = pytest.mark.django_db


def test_load_twice_changes_nothing_the_second_time() -> None:
    lines: list[str] = []
    accounts_demo.load(lines.append)
    demo.load(lines.append)
    counts = (
        Program.objects.count(),
        RuleVersion.objects.count(),
        Region.objects.count(),
        Shift.objects.count(),
    )
    demo.load(lines.append)
    assert counts == (
        Program.objects.count(),
        RuleVersion.objects.count(),
        Region.objects.count(),
        Shift.objects.count(),
    )
    program = Program.objects.get(slug="demo-central-texas")
    assert program.organization is not None and program.organization.is_care_coordinator
    assert set(program.regions.values_list("name", flat=True)) == {"San Antonio", "Waco", "Killeen"}
    shift = oncall.on_call_now(region=program.regions.get(name="Waco"), now=timezone.now())
    assert shift is not None and shift.primary.email.startswith("advocate@")
