"""``manage.py matching_reindex`` rebuilds the matcher's rows for youths indexed before it existed."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import Persona
from threadline.matching.models import BlockKey, MatchProfile
from threadline.youth.services import youth_create

pytestmark = pytest.mark.django_db


def test_reindex_restores_every_youths_rows(coordinator: Persona) -> None:
    youth = youth_create(
        membership=coordinator.membership, preferred_name="Noemi Salas", date_of_birth=date(2012, 1, 9)
    )
    digests = set(BlockKey.objects.filter(youth=youth).values_list("digest", flat=True))
    BlockKey.objects.all().delete()
    MatchProfile.objects.all().delete()
    out = StringIO()
    call_command("matching_reindex", stdout=out)
    assert out.getvalue().strip() == "indexed 1 youths"
    assert set(BlockKey.objects.filter(youth=youth).values_list("digest", flat=True)) == digests
    assert MatchProfile.objects.get(youth=youth).data["names"] == ["Noemi Salas"]
