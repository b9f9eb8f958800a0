"""Demo organizations and people (fictional). The Care Coordinator and a spread of partner agencies."""

from __future__ import annotations

from django.db import transaction

from threadline.accounts.models import Membership, Organization, User
from threadline.core.roles import OrganizationType as T
from threadline.core.roles import Role as R
from threadline.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, Log

ORDER = 10

ORGANIZATIONS = [
    # name, type, is the Care Coordinator, county
    ("Mesquite Valley Children's Advocacy Center", T.CAC, True, "Bexar"),
    ("Bluebonnet DFPS Regional Office", T.DFPS_REGIONAL, False, "Bexar"),
    ("Limestone County Juvenile Probation", T.JUVENILE_PROBATION, False, "Kendall"),
    ("Pecan Grove Counseling", T.MENTAL_HEALTH, False, "Kerr"),
    ("Caliche CASA", T.CASA, False, "Hidalgo"),
    ("Riverbend Police Department", T.LAW_ENFORCEMENT, False, "Montgomery"),
]

# local part, full name, organization index, role
PEOPLE = [
    ("coordinator", "Avery Demo-Coordinator", 0, R.CARE_COORDINATOR),
    ("advocate", "Jordan Demo-Advocate", 0, R.CSEY_ADVOCATE),
    ("family", "Rowan Demo-Family", 0, R.FAMILY_COORDINATOR),
    ("supervisor", "Morgan Demo-Supervisor", 0, R.SUPERVISOR),
    ("programadmin", "Casey Demo-Admin", 0, R.PROGRAM_ADMIN),
    ("directory", "Emerson Demo-Directory", 0, R.DIRECTORY_ADMIN),
    ("auditor", "Quinn Demo-Auditor", 0, R.AUDITOR),
    ("analyst", "Reese Demo-Analyst", 0, R.ANALYST),
    ("volunteer", "Skyler Demo-Helper", 0, R.VOLUNTEER),
    ("dfps", "Harper Demo-Caseworker", 1, R.PARTNER_STAFF),
    ("probation", "Sawyer Demo-Probation", 2, R.PARTNER_STAFF),
    ("therapist", "Finley Demo-Therapist", 3, R.PARTNER_STAFF),
    ("casa", "Dakota Demo-Volunteer", 4, R.PARTNER_STAFF),
    ("police", "Parker Demo-Detective", 5, R.PARTNER_STAFF),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


def demo_membership(local: str) -> Membership | None:
    """The membership of the demo person ``local`` (None until the demo people are loaded)."""
    return (
        Membership.objects.select_related("organization", "user")
        .filter(user__email=demo_email(local))
        .first()
    )


def demo_coordinator(log: Log) -> Membership | None:
    """The demo coordinator's membership; None, said in the log, until the demo people are loaded."""
    coordinator = demo_membership("coordinator")
    if coordinator is None:
        log("no demo coordinator (load the people demo first)")
    return coordinator


def load(log: Log) -> None:
    with transaction.atomic():
        orgs = []
        for name, org_type, is_cc, county in ORGANIZATIONS:
            org, _ = Organization.objects.get_or_create(
                name=name,
                defaults={
                    "org_type": org_type,
                    "is_care_coordinator": is_cc,
                    "county": county,
                    # Fictional (555-01xx is reserved for fiction): the "known to another program" signal
                    # shows a Care Coordinator's contact.
                    "contact_phone": "210-555-0142" if is_cc else "",
                },
            )
            orgs.append(org)
        created = 0
        for local, full_name, org_index, role in PEOPLE:
            user = User.objects.filter(email=demo_email(local)).first()
            if user is None:
                user = User.objects.create_user(
                    email=demo_email(local), password=DEMO_PASSWORD, full_name=full_name, is_demo=True
                )
                created += 1
            Membership.objects.get_or_create(user=user, organization=orgs[org_index], role=role)
    log(f"{len(orgs)} organizations, {len(PEOPLE)} people ({created} new)")
