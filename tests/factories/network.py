"""Partner agreements, program meetings and trainings, built through the real services (ledgered
like in production). Every name is fictional."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from threadline.access.agreements import AgreementKind, PartnerAgreement
from threadline.accounts.models import Membership, Organization
from threadline.network import agreement_services


def agreement(
    admin: Membership,
    partner: Organization,
    categories: Iterable[str],
    *,
    kind: str = AgreementKind.DATA_SHARING,
    ends_in_days: int | None = 365,
    signed_days_ago: int = 30,
) -> PartnerAgreement:
    today = timezone.localdate()
    return agreement_services.agreement_record(
        membership=admin,
        partner_id=partner.pk,
        kind=kind,
        categories=list(categories),
        signed_on=today - datetime.timedelta(days=signed_days_ago),
        expires_on=today + datetime.timedelta(days=ends_in_days) if ends_in_days is not None else None,
    )
