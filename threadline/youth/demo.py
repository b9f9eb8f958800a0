"""Demo youths (fictional, generated with a fixed seed) with different care teams and consents, so that
signing in as different demo partners shows the difference."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from threadline.access.categories import Category as C
from threadline.access.models import Consent
from threadline.accounts.models import Membership, Organization
from threadline.demo import DEMO_EMAIL_DOMAIN, Log
from threadline.youth.policy import visible_youth
from threadline.youth.services import (
    household_member_add,
    missing_episode_close,
    missing_episode_open,
    placement_add,
    youth_create,
    youth_reference_assign,
)
from threadline.youth.sharing import care_team_add, consent_record, consent_revoke

ORDER = 40

# reference, partner shares: (organization name, categories, state)
PLAN: list[tuple[str, list[tuple[str, list[str], str]]]] = [
    (
        "Y-DEMCAA",
        [
            ("Bluebonnet DFPS Regional Office", [C.IDENTITY, C.CARE_PLAN, C.CASE_NOTES], "active"),
            ("Limestone County Juvenile Probation", [C.CARE_PLAN], "active"),
        ],
    ),
    (
        "Y-DEMCAC",
        [
            ("Bluebonnet DFPS Regional Office", [C.IDENTITY, C.CARE_PLAN], "expired"),
            ("Pecan Grove Counseling", [C.IDENTITY, C.HEALTH, C.SCREENINGS], "active"),
        ],
    ),
    (
        "Y-DEMCAD",
        [
            ("Caliche CASA", [C.IDENTITY, C.CARE_PLAN, C.EDUCATION], "revoked"),
            ("Riverbend Police Department", [], "none"),
        ],
    ),
    ("Y-DEMCAE", [("Pecan Grove Counseling", [C.CARE_PLAN], "active")]),
    ("Y-DEMCAF", []),
]


def _membership(local: str) -> Membership:
    return Membership.objects.select_related("organization", "user").get(
        user__email=f"{local}@{DEMO_EMAIL_DOMAIN}"
    )


def demo_youth_id(coordinator: Membership, reference: str, log: Log, missing: str) -> uuid.UUID | None:
    """The id of the demo youth ``reference``, read through the policy as the demo coordinator; None
    when it is not there, said in the log as "no <reference>: no <missing>"."""
    youth_id: uuid.UUID | None = (
        visible_youth(coordinator, C.RECORD).filter(reference=reference).values_list("pk", flat=True).first()
    )
    if youth_id is None:
        log(f"no {reference}: no {missing}")
    return youth_id


def load(log: Log) -> None:
    coordinator = _membership("coordinator")
    advocate = _membership("advocate")
    # Read through the policy, as the demo coordinator: demo code gets no back door either.
    present = set(
        visible_youth(coordinator, C.RECORD)
        .filter(reference__startswith="Y-DEMCA")
        .values_list("reference", flat=True)
    )
    if len(present) >= len(PLAN):
        log("demo youths already present")
        return
    fake = Faker(["en_US", "es_MX"])
    Faker.seed(20261122)
    with transaction.atomic():
        for index, (reference, shares) in enumerate(PLAN):
            if reference in present:
                continue
            creator = advocate if index % 2 == 0 else coordinator
            dob = fake.date_between(datetime.date(2008, 6, 1), datetime.date(2012, 6, 1))
            youth = youth_create(
                membership=creator,
                preferred_name=fake.first_name(),
                legal_name=fake.name(),
                date_of_birth=dob,
                gender_identity=fake.random_element(["Girl", "Boy", "Non-binary", "Trans girl"]),
                pronouns=fake.random_element(["she/her", "he/him", "they/them"]),
                languages=fake.random_element([["English"], ["Spanish", "English"], ["Spanish"]]),
                aliases=[("street", fake.first_name())],
                contact_ways=[
                    {
                        "kind": "phone",
                        "value": fake.numerify("(210) 555-0###"),
                        "safe_to_contact": index % 3 != 0,
                        "safe_to_leave_message": index % 2 == 0,
                    }
                ],
                counties=[
                    (
                        fake.random_element(["Bexar", "Kendall", "Kerr", "Hidalgo", "Montgomery"]),
                        "physically_present",
                    )
                ],
            )
            youth_reference_assign(membership=creator, youth_id=youth.pk, reference=reference)
            if creator is advocate:
                care_team_add(
                    membership=coordinator,
                    youth_id=youth.pk,
                    organization_id=coordinator.organization_id,
                    role="care_coordinator",
                )
            guardian = household_member_add(
                membership=coordinator,
                youth_id=youth.pk,
                name=fake.name(),
                relationship="grandmother",
                is_guardian=True,
                is_non_offending_caregiver=True,
            )
            if index == 3:
                household_member_add(
                    membership=coordinator,
                    youth_id=youth.pk,
                    name=fake.name(),
                    relationship="older 'boyfriend'",
                    alleged_exploiter=True,
                    contact_restrictions="No contact. Do not confirm the youth is served.",
                )
            placement_add(
                membership=coordinator,
                youth_id=youth.pk,
                placement_type="kinship",
                started_on=timezone.localdate() - datetime.timedelta(days=40 + index),
                address=fake.street_address() + ", San Antonio, TX",
                felt_safe=True,
            )
            if index == 0:
                started = timezone.now() - datetime.timedelta(days=12)
                episode = missing_episode_open(membership=coordinator, youth_id=youth.pk, started_at=started)
                missing_episode_close(
                    membership=coordinator,
                    youth_id=youth.pk,
                    episode_id=episode.pk,
                    ended_at=started + datetime.timedelta(days=2),
                    debrief="Returned with a friend; shelter bed arranged.",
                )
            for org_name, categories, state in shares:
                org = Organization.objects.get(name=org_name)
                care_team_add(membership=coordinator, youth_id=youth.pk, organization_id=org.pk, role="other")
                if state == "none":
                    continue
                consent = consent_record(
                    membership=coordinator,
                    youth_id=youth.pk,
                    organization_id=org.pk,
                    categories=categories,
                    purpose="coordinate services",
                    given_by="youth",
                    guardian_id=guardian.pk,
                    signed_form_name="paper form in the file",
                )
                if state == "revoked":
                    consent_revoke(
                        membership=coordinator,
                        youth_id=youth.pk,
                        consent_id=consent.pk,
                        reason="youth asked to stop sharing",
                    )
                elif state == "expired":
                    past: dict[str, Any] = {
                        "starts_at": timezone.now() - datetime.timedelta(days=400),
                        "expires_at": timezone.now() - datetime.timedelta(days=35),
                    }
                    Consent.objects.filter(pk=consent.pk).update(**past)
    log(f"{len(PLAN)} demo youths with care teams and consents")
