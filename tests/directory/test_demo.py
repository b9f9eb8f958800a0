"""Demo data: a few hundred fictional providers, every vetting state, idempotent."""

from __future__ import annotations

import pytest

from threadline.directory import demo
from threadline.directory import models as m
from threadline.directory.audience import PUBLIC
from threadline.directory.selectors import SearchQuery, search

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_varied_listings() -> None:
    lines: list[str] = []
    demo.load(lines.append)
    demo.load(lines.append)
    assert m.Organization.objects.count() == demo.PROVIDERS
    states = set(m.Organization.objects.values_list("vetting_status", flat=True))
    assert states == {"applied", "under_review", "vetted", "suspended", "delisted"}
    assert set(m.Organization.objects.values_list("visibility", flat=True)) == {
        "public",
        "network",
        "private",
    }
    assert m.Location.objects.filter(confidential=True).exists()
    assert len(set(m.ServiceArea.objects.values_list("uri", flat=True))) >= 15
    assert search(SearchQuery(county="48029", language="es"), PUBLIC).total > 0
    assert all("example.org" in e for e in m.Organization.objects.values_list("email", flat=True))
