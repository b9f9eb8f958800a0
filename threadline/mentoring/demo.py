"""Demo mentorship (issue 14): a demo peer mentor paired with the demo youth Y-DEMCAE, who consented to
share identity for mentoring; one logged contact. Idempotent."""

from __future__ import annotations

from django.db import transaction

from threadline.access.categories import Category as C
from threadline.accounts.models import Membership, User
from threadline.core.roles import Role
from threadline.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, Log
from threadline.mentoring.services import mentor_assign, mentor_contact_log
from threadline.youth.demo import demo_youth_id
from threadline.youth.policy import visible_youth
from threadline.youth.sharing import consent_record

ORDER = 66  # after the demo youths (40) and the family client (65)
YOUTH = "Y-DEMCAE"
MENTOR = f"mentor@{DEMO_EMAIL_DOMAIN}"


def load(log: Log) -> None:
    coordinator = Membership.objects.select_related("organization", "user").get(
        user__email=f"coordinator@{DEMO_EMAIL_DOMAIN}"
    )
    with transaction.atomic():
        user = User.objects.filter(email=MENTOR).first()
        if user is None:
            user = User.objects.create_user(
                email=MENTOR, password=DEMO_PASSWORD, full_name="Sage Demo-Mentor", is_demo=True
            )
        mentor, _ = Membership.objects.get_or_create(
            user=user, organization=coordinator.organization, role=Role.PEER_MENTOR
        )
        if visible_youth(mentor, C.MENTORING).exists():
            log("demo mentorship already present")
            return
        youth_id = demo_youth_id(coordinator, YOUTH, log, "demo mentorship")
        if youth_id is None:
            return
        consent_record(
            membership=coordinator,
            youth_id=youth_id,
            organization_id=None,
            categories=[C.IDENTITY],
            purpose="Long-term mentoring",
            given_by="youth",
            minor_may_consent_alone=True,
            use="mentoring",
        )
        mentor_assign(membership=coordinator, youth_id=youth_id, mentor_membership_id=mentor.pk)
        mentor_contact_log(
            membership=mentor, youth_id=youth_id, how="text", note="Said hi; meeting for lunch Friday."
        )
    log("1 mentor (mentor@ sees one mentee under My mentees)")
