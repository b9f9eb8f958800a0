"""The "Done when" story, through real HTTP on the demo data: from a demo youth's housing need, pick a
suggested shelter, record the release it asks for, send; accept as the provider's demo user;
separately accept a second referral through its one-time link (a second use is refused); mark
connected and completed; leave feedback; the loop shows on the youth's timeline, the dashboard, My
work, the listing's yearly audit and as a FHIR Task."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from fhir.resources.R4B.task import Task

from threadline.access.categories import Category
from threadline.accounts.models import Membership, User
from threadline.directory.models import ListingIndex
from threadline.referrals.models import ServiceReferral
from threadline.referrals.states import ReferralState as S
from threadline.youth.policy import visible_youth

pytestmark = pytest.mark.django_db
DOMAIN = "demo.threadline.test"


def signed_in(local: str) -> Client:
    client = Client()
    client.force_login(
        User.objects.get(email=f"{local}@{DOMAIN}"),
        backend="allauth.account.auth_backends.AuthenticationBackend",
    )
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


@override_settings(DEMO_MODE=True)
def test_the_story(django_capture_on_commit_callbacks: Any) -> None:
    call_command("load_demo")
    coordinator = signed_in("coordinator")
    membership = Membership.objects.get(user__email=f"coordinator@{DOMAIN}")
    youth = visible_youth(membership, Category.RECORD).get(reference="Y-DEMCAA")

    # The plan shows "Refer" by the housing need; the youth's referral page lists the need.
    plan = coordinator.get(f"/care/{youth.pk}/plan")
    assert plan.status_code == 200
    housing = next(item for item in text(plan).split("<li>") if "<strong>Housing</strong>" in item)
    need_id = re.search(rf"/referrals/youth/{youth.pk}/suggest\?need=([0-9a-f-]+)", housing)
    assert need_id is not None
    first = coordinator.get(f"/referrals/youth/{youth.pk}/suggest?need={need_id.group(1)}")
    assert first.status_code == 200 and "trafficking-specialised" in text(first)  # suggested at once
    # Narrowed to what this youth needs: no guardian present, no ID, LGBTQ+-affirming.
    page = coordinator.post(
        f"/referrals/youth/{youth.pk}/suggest",
        {
            "action": "suggest",
            "need": need_id.group(1),
            "radius": "25",
            "access": ["no-guardian-needed", "no-id-required"],
            "populations": ["lgbtq"],
        },
    )
    assert page.status_code == 200
    shelter = ListingIndex.objects.get(name="Sotol Springs Youth Shelter")
    host = ListingIndex.objects.get(name="Quillmere Host Homes")
    assert shelter.service_id in text(page)
    assert "3 beds free" in text(page)

    # Pick the shelter: a draft, which asks for the release it needs.
    made = coordinator.post(
        f"/referrals/youth/{youth.pk}/suggest",
        {"action": "refer", "need": need_id.group(1), "service_id": shelter.service_id},
    )
    assert made.status_code == 302
    referral = ServiceReferral.objects.get(youth=youth, directory_service_id=shelter.service_id)
    detail = coordinator.get(f"/referrals/{referral.pk}/")
    assert "A release is needed first" in text(detail)
    refused = coordinator.post(f"/referrals/{referral.pk}/", {"action": "send"})
    assert refused.status_code == 302
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.DRAFT
    guardian = re.search(r'<option value="([0-9a-f-]{36})"', text(detail))
    assert guardian is not None
    until = (timezone.localdate() + datetime.timedelta(days=180)).isoformat()
    release = {
        "action": "release",
        "given_by": "parent_guardian",
        "guardian": guardian.group(1),
        "expires_on": until,
    }
    assert coordinator.post(f"/referrals/{referral.pk}/", release).status_code == 302
    hand_off = {"action": "checklist", "introduced_in_person": "on", "first_appointment_on": until}
    assert coordinator.post(f"/referrals/{referral.pk}/", hand_off).status_code == 302
    assert coordinator.post(f"/referrals/{referral.pk}/", {"action": "send"}).status_code == 302
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.SENT

    # The provider's demo user works its inbox.
    provider = signed_in("shelter")
    inbox = provider.get("/referrals/inbox/")
    assert inbox.status_code == 200 and str(referral.pk) in text(inbox)
    opened = provider.get(f"/referrals/inbox/{referral.pk}")
    assert opened.status_code == 200
    assert ServiceReferral.objects.get(pk=referral.pk).state == S.RECEIVED
    accept = provider.post(f"/referrals/inbox/{referral.pk}", {"action": "move", "to_state": S.ACCEPTED})
    assert accept.status_code == 302
    assert (
        provider.post(
            f"/referrals/inbox/{referral.pk}", {"action": "contact", "note": "Called, no answer"}
        ).status_code
        == 302
    )
    assert (
        provider.post("/referrals/inbox/", {"service_id": shelter.service_id, "available": "2"}).status_code
        == 302
    )
    assert ListingIndex.objects.get(pk=shelter.service_id).capacity_available == 2

    # Separately: a second referral, to a provider without accounts, answered by one-time link.
    coordinator.post(
        f"/referrals/youth/{youth.pk}/suggest",
        {"action": "refer", "need": need_id.group(1), "service_id": host.service_id},
    )
    second = ServiceReferral.objects.get(youth=youth, directory_service_id=host.service_id)
    assert coordinator.post(f"/referrals/{second.pk}/", release).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator.post(f"/referrals/{second.pk}/", {"action": "send"}).status_code == 302
    link = re.search(r"http://testserver(/referrals/answer/\S+)", str(mail.outbox[-1].body))
    assert link is not None
    assert "Y-DEMCAA" not in link.group(1) and str(youth.pk) not in link.group(1)
    outsider = Client()
    shown = outsider.get(link.group(1))
    assert shown.status_code == 200 and "Referral packet" in text(shown)
    done = outsider.post(link.group(1), {"decision": "accept"})
    assert done.status_code == 200 and "You accepted the referral" in text(done)
    assert ServiceReferral.objects.get(pk=second.pk).state == S.ACCEPTED
    again = outsider.post(link.group(1), {"decision": "decline", "reason": "changed our mind"})
    assert again.status_code == 404 and "This link no longer works" in text(again)
    assert outsider.get(link.group(1)).status_code == 404
    assert ServiceReferral.objects.get(pk=second.pk).state == S.ACCEPTED

    # Connected and completed, by the provider; feedback by the referring side.
    for to in (S.CONNECTED, S.COMPLETED):
        assert (
            provider.post(f"/referrals/inbox/{referral.pk}", {"action": "move", "to_state": to}).status_code
            == 302
        )
    feedback = {
        "action": "feedback",
        "treated_with_respect": "yes",
        "would_refer_again": "yes",
        "comment": "Warm intake staff",
    }
    assert coordinator.post(f"/referrals/{referral.pk}/", feedback).status_code == 302

    # The loop shows everywhere it should.
    timeline = coordinator.get(f"/youth/{youth.pk}/timeline")
    assert "Service referral to Sotol Springs Youth Shelter: Completed" in text(timeline)
    assert "Service referral to Quillmere Host Homes: Accepted" in text(timeline)
    dashboard = coordinator.get("/referrals/")
    assert dashboard.status_code == 200 and "Y-DEMCAA · Sotol Springs Youth Shelter" in text(dashboard)
    my_work = coordinator.get("/care/")
    assert "Service referrals needing a follow-up" in text(my_work)  # the demo's four-day-old one
    audit = signed_in("directory").get(f"/directory/admin/{shelter.organization_id}/")
    assert audit.status_code == 200 and "Warm intake staff" in text(audit)
    task = coordinator.get(f"/api/v1/service-referrals/{referral.pk}/fhir-task")
    assert task.status_code == 200
    resource = Task.model_validate(task.json())
    assert resource.status == "completed"
    assert resource.businessStatus is not None and resource.businessStatus.text == "Completed"
