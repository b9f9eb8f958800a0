"""The dashboard's pulse: median referral-to-acknowledgment (on call) and referral-to-first-contact over
the last 30 days, for the person's own programs only. Times are set by hand: nothing waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from tests.factories.accounts import OrganizationFactory
from threadline.core.roles import OrganizationType
from threadline.intake import selectors
from threadline.intake.models import Alert, Program, Referral, Region
from threadline.intake.services.referrals import ReferralInput, referral_submit

pytestmark = pytest.mark.django_db


def alert(
    region: Region, started_ago: timedelta, took: timedelta | None, kind: str = "urgent_referral"
) -> Alert:
    now = timezone.now()
    return Alert.objects.create(
        kind=kind,
        region=region,
        started_at=now - started_ago,
        assigned_at=now - started_ago,
        acknowledged_at=None if took is None else now - started_ago + took,
    )


def referral(program: Program, received_ago: timedelta, took: timedelta | None, status: str = "") -> Referral:
    now = timezone.now()
    made = referral_submit(
        program=program,
        channel=Referral.Channel.STAFF,
        data=ReferralInput(what_is_known="Met at the youth drop-in center."),
        now=now - received_ago,
    )
    updates: dict[str, object] = {}
    if took is not None:
        updates["first_contact_at"] = made.received_at + took
    if status:
        updates["status"] = status
    if updates:
        Referral.objects.filter(pk=made.pk).update(**updates)
    return made


def test_median_time_to_acknowledgment(region: Region, coordinator: Persona) -> None:
    day = timedelta(days=1)
    for took in (10, 20, 60):
        alert(region, 2 * day, timedelta(minutes=took))
    alert(region, 3 * day, None)  # still waiting: counted apart, not in the median
    alert(region, 40 * day, timedelta(minutes=1))  # older than 30 days
    alert(region, day, timedelta(minutes=1), kind="test")  # a drill of the chain, not a referral
    # Another Care Coordinator's program: not ours.
    other = Program.objects.get(slug="demo-central-texas")
    other.organization = OrganizationFactory(
        name="Bluebonnet Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    other.save(update_fields=["organization"])
    alert(Region.objects.create(program=other, name="Waco"), day, timedelta(minutes=1))

    pulse = selectors.clock_medians(membership=coordinator.membership)["acknowledgment"]
    assert pulse == selectors.ClockMedian(median=timedelta(minutes=20), stopped=3, running=1)


def test_median_time_to_first_contact(program: Program, coordinator: Persona) -> None:
    day = timedelta(days=1)
    referral(program, 5 * day, timedelta(hours=1))
    referral(program, 4 * day, timedelta(hours=3))
    referral(program, 2 * day, None)  # not reached yet
    referral(program, 2 * day, None, status="withdrawn")  # closed: not waiting for contact
    referral(program, 31 * day, timedelta(minutes=5))  # outside the window
    pulse = selectors.clock_medians(membership=coordinator.membership)["first_contact"]
    assert pulse == selectors.ClockMedian(median=timedelta(hours=2), stopped=2, running=1)


def test_dashboard_shows_the_medians(program: Program, coordinator: Persona, client_for: ClientFor) -> None:
    day = timedelta(days=1)
    referral(program, 3 * day, timedelta(hours=2, minutes=5))  # no region yet: it raises no alert
    alert(Region.objects.create(program=program, name="Hill Country"), day, timedelta(minutes=12))
    html = client_for(coordinator).get("/intake/").content.decode()
    assert "Clocks over the last 30 days" in html
    assert "12 min" in html
    assert "2 h 05 min" in html
    assert "1 acknowledged" in html and "1 reached" in html


def test_no_data_yet_shows_a_dash_not_zero(
    program: Program, coordinator: Persona, client_for: ClientFor
) -> None:
    pulse = selectors.clock_medians(membership=coordinator.membership)
    assert pulse["acknowledgment"] == selectors.ClockMedian(None, 0, 0)
    html = client_for(coordinator).get("/intake/").content.decode()
    assert "0 min" not in html
