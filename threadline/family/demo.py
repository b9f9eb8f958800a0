"""Demo family services (issue 14): the demo youth Y-DEMCAA's aunt (fictional) is a family client of the
demo Family Coordinator, with a need, a plan step, a note and a referral. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from threadline.accounts.models import Membership
from threadline.demo import DEMO_EMAIL_DOMAIN, Log
from threadline.family.policy import visible_family_clients
from threadline.family.services import (
    family_client_open,
    family_meeting_schedule,
    family_need_add,
    family_note_add,
    family_referral_add,
    family_task_add,
)
from threadline.youth.demo import demo_youth_id
from threadline.youth.services import household_member_add

ORDER = 65  # after the demo people (10), youths (40) and care plans (60)
YOUTH = "Y-DEMCAA"


def _membership(local: str) -> Membership:
    return Membership.objects.select_related("organization", "user").get(
        user__email=f"{local}@{DEMO_EMAIL_DOMAIN}"
    )


def load(log: Log) -> None:
    coordinator, family = _membership("coordinator"), _membership("family")
    if visible_family_clients(family).exists():
        log("demo family client already present")
        return
    youth_id = demo_youth_id(coordinator, YOUTH, log, "demo family client")
    if youth_id is None:
        return
    with transaction.atomic():
        aunt = household_member_add(
            membership=coordinator,
            youth_id=youth_id,
            name="Lorena Demo-Aunt",
            relationship="aunt",
            is_non_offending_caregiver=True,
        )
        client = family_client_open(
            membership=coordinator,
            youth_id=youth_id,
            household_member_id=aunt.pk,
            coordinator_id=family.user.pk,
        )
        family_need_add(
            membership=family, client_id=client.pk, domain="social_support", description="Caregiver support"
        )
        family_task_add(
            membership=family,
            client_id=client.pk,
            title="Visit the caregivers' support group together",
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        family_note_add(
            membership=family,
            client_id=client.pk,
            contact_type="phone",
            narrative="First call: she wants to understand what her niece is going through.",
        )
        family_meeting_schedule(
            membership=family,
            client_id=client.pk,
            scheduled_at=timezone.now() + datetime.timedelta(days=3),
            purpose="Family plan",
        )
        family_referral_add(
            membership=family,
            client_id=client.pk,
            domain="behavioral_health",
            provider_name="Pecan Grove Counseling",
        )
    log("1 family client (family@ sees it under Family services)")
