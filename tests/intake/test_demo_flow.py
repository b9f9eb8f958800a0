"""Issue 5, done when: the demo on-call advocate receives a public referral, acknowledges it, and sees
the clock stop. (The pages are the same on a 360 px screen: one column, no horizontal layout.)"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from tests.intake.test_refer_public import form
from threadline.accounts import demo as accounts_demo
from threadline.accounts.models import User
from threadline.intake import demo
from threadline.intake.models import Alert, Referral

pytestmark = pytest.mark.django_db


def test_public_referral_to_acknowledgment(
    settings: Settings,
    sms_outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.INTAKE_POW_MAX_NUMBER = 2000
    cache.clear()
    accounts_demo.load(lambda line: None)
    demo.load(lambda line: None)
    public = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert public.post("/refer/", form(public, county="Bexar", age="15", urgent="on")).status_code == 302
    referral = Referral.objects.get()
    alert = Alert.objects.get(object_id=str(referral.pk))
    advocate = User.objects.get(email__startswith="advocate@")
    assert alert.assigned_to == advocate
    assert sms_outbox and sms_outbox[0]["body"] == "New urgent referral. Open Threadline."

    staff = Client()
    staff.force_login(advocate, backend="allauth.account.auth_backends.AuthenticationBackend")
    settings.DEMO_MODE = True  # demo accounts skip MFA enrollment only in demo mode
    board = staff.get("/intake/").content.decode()
    assert "Waiting for acknowledgment" in board
    assert f"/intake/referrals/{referral.pk}/" in board
    response = staff.post(f"/intake/alerts/{alert.pk}/acknowledge", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Nothing waiting" in response.content.decode()
    assert "Referral to acknowledgment" in response.content.decode()  # the stopped clock is shown
    alert.refresh_from_db()
    assert alert.acknowledged_by == advocate
    cache.clear()
