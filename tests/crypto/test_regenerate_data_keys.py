"""Issue 19 V11: per-youth data keys are re-generated, not only re-wrapped: a new key, every field of the
youth re-encrypted under it, the old key gone."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.crypto.datakeys import unwrapped
from threadline.crypto.models import DataKey
from threadline.youth.models import Alias, PlacementAddress, Youth
from threadline.youth.services import alias_add, placement_add

pytestmark = pytest.mark.django_db


def raw_blob(table: str, column: str, pk: uuid.UUID) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return bytes(cursor.fetchone()[0])


def test_regenerate_data_keys_re_encrypts_every_field(coordinator: Persona) -> None:
    youth = make_youth(coordinator.membership, preferred_name="Liadan", legal_name="Liadan Oyelaran")
    alias_add(membership=coordinator.membership, youth_id=youth.pk, name="Starling")
    placement_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        placement_type="shelter",
        started_on=datetime.date(2026, 1, 5),
        address="7 Quiet Court",
    )
    old_key = Youth.objects.select_related("data_key").get(pk=youth.pk).data_key
    old_raw = unwrapped(old_key)
    before = raw_blob("youth_youth", "legal_name", youth.pk)

    call_command("rotate_keys", "--regenerate-data-keys")

    again = Youth.objects.select_related("data_key").get(pk=youth.pk)
    assert again.data_key_id != old_key.pk
    assert not DataKey.objects.filter(pk=old_key.pk).exists()
    assert unwrapped(again.data_key) != old_raw
    assert raw_blob("youth_youth", "legal_name", youth.pk) != before
    assert (again.preferred_name, again.legal_name) == ("Liadan", "Liadan Oyelaran")
    alias = Alias.objects.select_related("youth__data_key").get(youth=youth)
    address = PlacementAddress.objects.select_related("youth__data_key").get(youth=youth)
    assert (alias.name, address.address) == ("Starling", "7 Quiet Court")
