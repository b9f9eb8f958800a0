"""The generator is seeded (the same caseload every time), fictional, and the demo loader runs once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from threadline.access.models import CareTeamMember
from threadline.accounts.models import Membership
from threadline.intake.models import Referral
from threadline.outcomes import demo
from threadline.outcomes import demo_generate as generate


def test_the_same_seed_gives_the_same_caseload() -> None:
    end = dt.date(2026, 6, 30)
    first = generate.plan(seed=3, youths=25, end=end)
    again = generate.plan(seed=3, youths=25, end=end)
    other = generate.plan(seed=4, youths=25, end=end)
    assert [(y.reference, y.legal_name, y.received_at, len(y.episodes)) for y in first.youths] == [
        (y.reference, y.legal_name, y.received_at, len(y.episodes)) for y in again.youths
    ]
    assert [y.legal_name for y in first.youths] != [y.legal_name for y in other.youths]
    assert len(first.other_referrals) == 5


def test_generated_youths_are_fictional_and_within_the_two_years() -> None:
    end = dt.date(2026, 6, 30)
    plan = generate.plan(seed=5, youths=200, end=end)
    assert len({y.reference for y in plan.youths}) == 200
    assert all(y.reference.startswith("Y-G") for y in plan.youths)
    # A child's name: no title ("Mrs.", "Dr."), a first name and a surname; mostly called by the first.
    assert not any(
        re.search(r"\b(Mr|Mrs|Ms|Miss|Dr|Sr|Sra|Srita|Lic|Ing)\.?\s", y.legal_name) for y in plan.youths
    )
    assert sum(y.legal_name.startswith(y.preferred_name + " ") for y in plan.youths) > 150
    # Numbers reserved for fiction, never two youths the same (the matcher takes a shared phone for
    # the same youth): 100 numbers, so a fifth of the youths have one.
    phones = [y.phone for y in plan.youths if y.phone]
    assert all(re.fullmatch(r"\(210\) 555-01\d\d", number) for number in phones)
    assert len(phones) == len(set(phones)) == 40
    assert len({generate.phone(n) for n in range(5_000)} - {""}) == 100
    # Two years of 365 days back from the end (``plan``'s start: 2024-06-30 here, the first day counted).
    assert all(dt.date(2024, 6, 30) <= y.received_at.date() <= end for y in plan.youths)
    assert min(y.received_at.date() for y in plan.youths) < dt.date(2024, 8, 1)
    # Variation the dashboards can show: many counties, fewer episodes during services than before.
    assert len({y.county for y in plan.youths}) >= 15
    before = sum(1 for y in plan.youths for e in y.episodes if e.started_at.date() < y.start)
    during = sum(1 for y in plan.youths for e in y.episodes if e.started_at.date() >= y.start)
    assert before > during > 0


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_the_demo_loader_adds_the_generated_caseload_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "YOUTHS", 30)
    call_command("load_demo")
    generated = CareTeamMember.objects.filter(youth__reference__startswith="Y-G").count()
    assert generated == 30
    call_command("load_demo")
    assert CareTeamMember.objects.filter(youth__reference__startswith="Y-G").count() == 30


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_a_generated_referral_reads_like_a_submitted_one(
    monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    """What is known is text, as the referral service writes it: the page never says "None"."""
    monkeypatch.setattr(demo, "YOUTHS", 5)
    call_command("load_demo")
    generated = Referral.objects.filter(youth__reference__startswith="Y-G").select_related("data_key")
    assert generated.count() >= 5
    assert {referral.what_is_known for referral in generated} == {""}
    coordinator = Membership.objects.get(user__email="coordinator@demo.threadline.test")
    client.force_login(coordinator.user)
    referral = generated.filter(program__organization=coordinator.organization).first()
    assert referral is not None
    page = client.get(reverse("intake:referral_detail", args=[referral.pk]))
    assert page.status_code == 200
    assert ">None<" not in page.content.decode()  # an empty value rendered as "None"
