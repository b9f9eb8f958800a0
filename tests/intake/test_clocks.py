"""The clocks that matter: referral to first contact, and the 8-hour mandatory reports for a child."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import ClientFor, Persona
from tests.intake.conftest import T0
from threadline.intake.models import MandatoryReport, Program, Referral
from threadline.intake.services.referrals import (
    ReferralInput,
    mandatory_report_record,
    referral_first_contact,
    referral_submit,
)

pytestmark = pytest.mark.django_db


def submit(program: Program, age: int | None) -> Referral:
    return referral_submit(
        program=program,
        channel=Referral.Channel.WEB_FORM,
        data=ReferralInput(what_is_known="Worried about her.", age=age, county="Bexar"),
        now=T0,
    )


@pytest.mark.parametrize(("age", "reports"), [(15, 2), (None, 2), (17, 2), (18, 0), (22, 0)])
def test_child_referrals_start_two_eight_hour_clocks(program: Program, age: int | None, reports: int) -> None:
    referral = submit(program, age)
    found = MandatoryReport.objects.filter(referral=referral)
    assert found.count() == reports
    for report in found:
        assert report.due_at == T0 + timedelta(hours=8)


def test_recording_a_report_and_overdue_flag(
    program: Program, coordinator: Persona, client_for: ClientFor
) -> None:
    referral = submit(program, 14)
    client = client_for(coordinator)
    board = client.get("/intake/").content.decode()
    assert "Overdue" in board  # T0 is long past: both are overdue
    report = MandatoryReport.objects.get(referral=referral, agency="child_welfare")
    response = client.post(
        f"/intake/referrals/{referral.pk}/",
        {
            "action": "mandatory_report",
            "report": report.pk,
            "reported_to": "State abuse hotline intake",
            "report_number": "SWI-0000001",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.reported_to, report.report_number, report.reported_by) == (
        "State abuse hotline intake",
        "SWI-0000001",
        coordinator.user,
    )
    assert MandatoryReport.objects.filter(referral=referral, reported_at__isnull=True).count() == 1


def test_report_without_whom_is_refused(
    program: Program, coordinator: Persona, client_for: ClientFor
) -> None:
    referral = submit(program, 14)
    report = MandatoryReport.objects.filter(referral=referral).first()
    assert report is not None
    response = client_for(coordinator).post(
        f"/intake/referrals/{referral.pk}/",
        {"action": "mandatory_report", "report": report.pk, "reported_to": ""},
    )
    assert response.status_code == 422
    assert not MandatoryReport.objects.filter(reported_at__isnull=False).exists()


def test_first_contact_clock_stops_once(program: Program, advocate: Persona) -> None:
    referral = submit(program, 16)
    referral_first_contact(
        membership=advocate.membership, referral_id=referral.pk, at=T0 + timedelta(minutes=50)
    )
    referral_first_contact(
        membership=advocate.membership, referral_id=referral.pk, at=T0 + timedelta(hours=9)
    )
    referral.refresh_from_db()
    assert referral.first_contact_at is not None
    assert referral.first_contact_at - referral.received_at == timedelta(minutes=50)


def test_partners_cannot_record(program: Program, dfps_caseworker: Persona) -> None:
    referral = submit(program, 16)
    report = MandatoryReport.objects.filter(referral=referral).first()
    assert report is not None
    with pytest.raises(PermissionDenied):
        mandatory_report_record(
            membership=dfps_caseworker.membership, report_id=report.pk, reported_to="x", report_number=""
        )
    with pytest.raises(PermissionDenied):
        referral_first_contact(membership=dfps_caseworker.membership, referral_id=referral.pk)
    referral.refresh_from_db()
    assert referral.first_contact_at is None
    assert not MandatoryReport.objects.filter(reported_at__isnull=False).exists()
