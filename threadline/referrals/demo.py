"""Demo service referrals (fictional): a shelter provider organization with a demo user who works its
inbox, a host-homes provider without accounts (it answers by one-time link), and a few referrals in
every state for the demo youths. Y-DEMCAA's housing need is left for the story: refer her yourself."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from threadline.access.categories import Category
from threadline.accounts.demo import demo_coordinator
from threadline.accounts.models import Membership, Organization, User
from threadline.core.roles import OrganizationType, Role
from threadline.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, Log
from threadline.directory import models as dm
from threadline.directory import services as directory_services
from threadline.directory.search_index import reindex_organization
from threadline.directory.taxonomy import ACCESS_TAXONOMY
from threadline.referrals import provider_services, sending_services, services
from threadline.referrals.models import ProviderLink, ServiceReferral
from threadline.referrals.states import ReferralState as S
from threadline.youth.policy import visible_youth
from threadline.youth.sharing import consent_record

ORDER = 70  # after people (10), the directory (30), youths (40) and care plans (60)

SHELTER = "Sotol Springs Youth Shelter"
HOST_HOMES = "Quillmere Host Homes"
SHELTER_USER = ("shelter", "Marlowe Demo-Shelter")

# youth reference, need, provider, the states it goes through (the last is where it stays)
PLAN: list[tuple[str, str, str, list[str]]] = [
    ("Y-DEMCAC", "housing", SHELTER, [S.SENT]),
    ("Y-DEMCAC", "safety", SHELTER, [S.SENT, S.RECEIVED]),
    ("Y-DEMCAD", "housing", SHELTER, [S.SENT, S.RECEIVED, S.ACCEPTED]),
    ("Y-DEMCAD", "safety", SHELTER, [S.SENT, S.DECLINED_BY_PROVIDER]),
    ("Y-DEMCAE", "housing", SHELTER, [S.SENT, S.ACCEPTED, S.DECLINED_BY_YOUTH]),
    ("Y-DEMCAE", "safety", SHELTER, [S.SENT, S.ACCEPTED, S.CONNECTED]),
    ("Y-DEMCAF", "housing", SHELTER, [S.SENT, S.ACCEPTED, S.CONNECTED, S.COMPLETED]),
    ("Y-DEMCAF", "safety", SHELTER, [S.CANCELLED]),
    ("Y-DEMCAF", "housing", HOST_HOMES, [S.SENT, S.EXPIRED]),
    ("Y-DEMCAC", "housing", HOST_HOMES, []),  # a draft
]
REASONS: dict[str, str] = {
    S.DECLINED_BY_PROVIDER: "No beds for this age group this month",
    S.DECLINED_BY_YOUTH: "Prefers to stay with her aunt for now",
    S.CANCELLED: "Need met another way",
}


def _listing(name: str, *, service_types: list[str], access: list[str], ages: tuple[int, int]) -> dm.Service:
    org = dm.Organization.objects.filter(name=name).first()
    if org is None:
        org = directory_services.application_submit(
            data=directory_services.ApplicationData(
                organization_name=name,
                description=f"{name}: a fictional provider (demo data).",
                email=f"intake@{name.lower().replace(' ', '-')}.example.org",
                phone="(210) 555-0177",
                address_1="40 Sotol Lane",
                city="San Antonio (demo)",
                postal_code="78205",
                confidential_address=True,
                counties=["48029", "48259", "48265", "48215", "48339"],
                languages=["en", "es"],
                populations=["trafficking-survivors", "serves-minors", "lgbtq"],
                service_types=service_types,
                minimum_age=ages[0],
                maximum_age=ages[1],
                accepts_warm_transfers=True,
            )
        )
        service = dm.Service.objects.get(organization_id=org.id)
        directory_services._attach_terms(service.id, ACCESS_TAXONOMY, access)
        dm.Organization.objects.filter(id=org.id).update(
            vetting_status="vetted",
            visibility="network",
            approved_at=timezone.now(),
            evidence="Demo: application answers read, on-site visit, references called.",
            next_audit_date=timezone.localdate() + datetime.timedelta(days=200),
        )
        reindex_organization(org.id)
    return dm.Service.objects.filter(organization_id=org.id).order_by("id").first()  # type: ignore[return-value]


def load(log: Log) -> None:
    coordinator = demo_coordinator(log)
    if coordinator is None:
        return
    with transaction.atomic():
        shelter_org, _created = Organization.objects.get_or_create(
            name=SHELTER, defaults={"org_type": OrganizationType.NON_PROFIT, "county": "Bexar"}
        )
        local, full_name = SHELTER_USER
        user = User.objects.filter(email=f"{local}@{DEMO_EMAIL_DOMAIN}").first()
        if user is None:
            user = User.objects.create_user(
                email=f"{local}@{DEMO_EMAIL_DOMAIN}",
                password=DEMO_PASSWORD,
                full_name=full_name,
                is_demo=True,
            )
        Membership.objects.get_or_create(user=user, organization=shelter_org, role=Role.PARTNER_STAFF)
        shelter = _listing(
            SHELTER,
            service_types=["shelter"],
            access=["no-id-required", "no-tb-test", "walk-in", "no-guardian-needed"],
            ages=(11, 24),
        )
        directory_services.service_capacity_set(
            organization_id=shelter.organization_id, service_id=shelter.id, available=3
        )
        host = _listing(
            HOST_HOMES,
            service_types=["housing"],
            access=["single-rooms", "transport-provided"],
            ages=(14, 24),
        )
        for service, name in ((shelter, SHELTER), (host, HOST_HOMES)):
            services.provider_link_ensure(directory_organization_id=service.organization_id, name=name)
    provider = Membership.objects.select_related("organization", "user").get(
        user=user, organization=shelter_org
    )
    if ServiceReferral.objects.filter(
        provider__provider_link__isnull=False, provider__name__in=[SHELTER, HOST_HOMES]
    ).exists():
        log("demo service referrals already present")
        return
    made = _referrals(coordinator, provider, {SHELTER: shelter, HOST_HOMES: host})
    log(f"a provider with a demo user ({local}@…), a provider without accounts, {made} service referrals")


def _referrals(coordinator: Membership, provider: Membership, listings: dict[str, dm.Service]) -> int:
    youths = {
        y.reference: y
        for y in visible_youth(coordinator, Category.RECORD).filter(reference__in={row[0] for row in PLAN})
    }
    released: set[tuple[Any, int]] = set()
    made = 0
    for reference, need, provider_name, path in PLAN:
        youth = youths.get(reference)
        if youth is None:
            continue
        listing = listings[provider_name]
        link = ProviderLink.objects.get(directory_organization_id=listing.organization_id)
        with transaction.atomic():
            if (youth.pk, link.organization_id) not in released:
                consent_record(
                    membership=coordinator,
                    youth_id=youth.pk,
                    organization_id=link.organization_id,
                    categories=[Category.IDENTITY, Category.CARE_PLAN],
                    purpose=f"Service referral to {provider_name}",
                    given_by="youth",
                    minor_may_consent_alone=True,
                    signed_form_name="paper form in the file (demo)",
                )
                released.add((youth.pk, link.organization_id))
            referral = services.referral_draft(
                membership=coordinator, youth_id=youth.pk, service_id=listing.id, need_domain=need
            )
            for state in path:
                if state == S.SENT:
                    sending_services.referral_send(membership=coordinator, referral_id=referral.pk)
                elif state == S.EXPIRED:
                    long_ago = timezone.now() - datetime.timedelta(days=services.expire_days() + 2)
                    ServiceReferral.objects.filter(pk=referral.pk).update(sent_at=long_ago)
                    provider_services.referrals_expire()
                elif state in (S.DECLINED_BY_YOUTH, S.CANCELLED):
                    sending_services.referral_transition(
                        membership=coordinator, referral_id=referral.pk, to_state=state, reason=REASONS[state]
                    )
                else:
                    sending_services.referral_transition(
                        membership=provider,
                        referral_id=referral.pk,
                        to_state=state,
                        reason=REASONS.get(state, ""),
                    )
            if path == [S.SENT]:
                # Waiting for an answer for four days: it shows as needing a follow-up.
                ServiceReferral.objects.filter(pk=referral.pk).update(
                    sent_at=timezone.now() - datetime.timedelta(days=4),
                    state_changed_at=timezone.now() - datetime.timedelta(days=4),
                )
        made += 1
    return made
