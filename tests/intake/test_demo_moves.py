"""Issue 14's demo data: one relocated youth (now in the Waco region, its on-call on the team) and one
transfer waiting for the Hill Country program. Loads twice without changing anything."""

from __future__ import annotations

import pytest
from django.test import override_settings

from threadline.accounts import demo as accounts_demo
from threadline.intake import demo as intake_demo
from threadline.intake import demo_moves
from threadline.intake.models import Relocation, Transfer
from threadline.youth import demo as youth_demo

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=True)
def test_a_relocated_youth_and_a_transfer() -> None:
    lines: list[str] = []
    for loader in (accounts_demo.load, intake_demo.load, youth_demo.load, demo_moves.load):
        loader(lines.append)
    move = Relocation.objects.select_related("to_region", "youth").get()
    assert (move.youth.reference, move.to_region.name) == (demo_moves.MOVED, "Waco")
    transfer = Transfer.objects.select_related("to_program", "youth").get()
    assert transfer.state == Transfer.State.PENDING
    assert (transfer.youth.reference, transfer.to_program.slug) == (
        demo_moves.TRANSFERRED,
        "demo-hill-country",
    )
    assert transfer.categories == ["care_plan", "identity"]
    demo_moves.load(lines.append)
    assert (Relocation.objects.count(), Transfer.objects.count()) == (1, 1)
