"""My work tells the on-call advocate an urgent referral is waiting, without saying anything about it."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from tests.intake.conftest import T0
from threadline.intake.models import Region, Shift
from threadline.intake.oncall import alert_acknowledge, alert_raise

pytestmark = pytest.mark.django_db


def test_my_work_shows_waiting_urgent_referrals_by_count_only(
    rota: Shift, region: Region, advocate: Persona, coordinator: Persona, client_for: ClientFor
) -> None:
    alert = alert_raise(
        region=region, kind="urgent_referral", now=T0, object_type="referral", object_id="r-1"
    )
    page = client_for(advocate).get("/care/").content.decode()
    assert "1 urgent referral is waiting for you" in page
    assert "r-1" not in page
    assert "urgent referral is waiting" not in client_for(coordinator).get("/care/").content.decode()
    alert_acknowledge(membership=advocate.membership, alert_id=alert.pk, now=T0)
    assert "urgent referral is waiting" not in client_for(advocate).get("/care/").content.decode()
