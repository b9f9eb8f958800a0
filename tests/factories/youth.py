"""Fictional youths, generated. Never real names or real cases."""

from __future__ import annotations

import datetime
from typing import Any

from faker import Faker

from threadline.accounts.models import Membership
from threadline.youth.models import Youth
from threadline.youth.services import youth_create

fake = Faker(["en_US", "es_MX"])


def make_youth(membership: Membership, **overrides: Any) -> Youth:
    fields: dict[str, Any] = {
        "preferred_name": fake.first_name(),
        "legal_name": fake.name(),
        "date_of_birth": fake.date_between(datetime.date(2009, 1, 1), datetime.date(2012, 12, 31)),
        "counties": [("Bexar", "physically_present")],
    }
    fields.update(overrides)
    return youth_create(membership=membership, **fields)
