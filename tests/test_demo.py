"""Demo data loads, loads again without changing anything, and shows the consent differences."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.youth.policy import visible_youth

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"audit", "auditlog", "sessions", "axes"}
    }


def demo_member(local: str) -> Membership:
    return Membership.objects.select_related("organization", "user").get(
        user__email=f"{local}@demo.threadline.test"
    )


def visible_refs(local: str, category: str) -> set[str]:
    return set(visible_youth(demo_member(local), category).values_list("reference", flat=True))


def test_demo_needs_demo_mode() -> None:
    with pytest.raises(CommandError):
        call_command("load_demo")


@override_settings(DEMO_MODE=True)
def test_demo_is_idempotent_and_shows_the_differences() -> None:
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert visible_refs("dfps", Category.IDENTITY) == {"Y-DEMCAA"}  # Y-DEMCAC's release expired
    assert visible_refs("probation", Category.CARE_PLAN) == {"Y-DEMCAA"}
    assert visible_refs("probation", Category.IDENTITY) == set()
    assert visible_refs("therapist", Category.HEALTH) == {"Y-DEMCAC"}
    assert visible_refs("casa", Category.RECORD) == set()  # revoked
    assert visible_refs("police", Category.RECORD) == set()  # on the team, no release
    assert len(visible_refs("coordinator", Category.IDENTITY)) >= 5
