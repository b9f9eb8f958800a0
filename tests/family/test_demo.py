"""Issue 14's demo data: one family client and one mentor, and demo_logins names both people."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.family.policy import visible_family_clients
from threadline.youth.policy import visible_youth

pytestmark = pytest.mark.django_db


def member(local: str) -> Membership:
    return Membership.objects.select_related("organization", "user").get(
        user__email=f"{local}@demo.threadline.test"
    )


@override_settings(DEMO_MODE=True)
def test_demo_has_a_family_client_and_a_mentor() -> None:
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # again: nothing new
    assert visible_family_clients(member("family")).count() == 1
    mentees = visible_youth(member("mentor"), Category.MENTORING)
    assert list(mentees.values_list("reference", flat=True)) == ["Y-DEMCAE"]
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "mentor@demo.threadline.test" in out.getvalue()
    assert "family@demo.threadline.test" in out.getvalue()
