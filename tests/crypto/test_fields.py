"""Encrypted fields: round trip, falsy values kept, bound to their row, fail closed on a wrong key."""

from __future__ import annotations

import base64
import datetime
import uuid

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from pytest_django import Settings

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.crypto.envelope import DecryptionFailed
from threadline.crypto.fields import EncryptedField
from threadline.crypto.keys import _parse
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


def raw_column(table: str, column: str, pk: uuid.UUID) -> bytes:
    assert table.isidentifier() and column.isidentifier()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s", [pk.hex if connection.vendor == "sqlite" else pk]
        )
        return bytes(cursor.fetchone()[0])


def test_round_trip_and_falsy_values(coordinator: Persona) -> None:
    youth = make_youth(
        coordinator.membership,
        preferred_name="Quillon",
        legal_name="",
        date_of_birth=datetime.date(2010, 2, 3),
    )
    youth.school = None
    youth.save()
    again = Youth.objects.get(pk=youth.pk)
    assert again.preferred_name == "Quillon"
    assert again.legal_name == ""  # empty string survives, not None
    assert again.school is None
    assert again.date_of_birth == datetime.date(2010, 2, 3)
    assert b"Quillon" not in raw_column("youth_youth", "preferred_name", youth.pk)


def test_value_moved_to_another_row_does_not_open(coordinator: Persona) -> None:
    a = make_youth(coordinator.membership, preferred_name="Ardent")
    b = make_youth(coordinator.membership, preferred_name="Brisk")
    blob = raw_column("youth_youth", "preferred_name", a.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE youth_youth SET preferred_name = %s WHERE id = %s",
            [blob, b.pk.hex if connection.vendor == "sqlite" else b.pk],
        )
    with pytest.raises(DecryptionFailed):
        _ = Youth.objects.get(pk=b.pk).preferred_name


def test_a_value_read_without_its_instance_opens_only_for_its_own_row(coordinator: Persona) -> None:
    """``open_value`` (a ``values_list`` read: the matcher's candidates) opens what ``open`` opens, and a
    value paired with another row's key or id fails as it would on the instance."""
    from threadline.crypto.datakeys import unwrapped_values

    a = make_youth(coordinator.membership, preferred_name="Ardent")
    b = make_youth(coordinator.membership, preferred_name="Brisk")
    field = Youth._meta.get_field("preferred_name")
    assert isinstance(field, EncryptedField)
    values = {
        pk: (sealed, unwrapped_values(key_id=str(key_id), wrapped=bytes(wrapped), master_key_id=master))
        for pk, sealed, key_id, master, wrapped in Youth.objects.filter(pk__in=[a.pk, b.pk]).values_list(
            "pk", "preferred_name", "data_key_id", "data_key__master_key_id", "data_key__wrapped"
        )
    }
    assert set(values) == {a.pk, b.pk}
    sealed_a, key_a = values[a.pk]
    sealed_b, key_b = values[b.pk]
    assert field.open_value(sealed_a, key=key_a, pk=a.pk) == "Ardent"
    assert field.open_value(sealed_b, key=key_b, pk=b.pk) == "Brisk"
    with pytest.raises(DecryptionFailed):
        field.open_value(sealed_a, key=key_b, pk=a.pk)  # another youth's data key
    with pytest.raises(DecryptionFailed):
        field.open_value(sealed_a, key=key_a, pk=b.pk)  # moved to another row
    with pytest.raises(TypeError):
        field.open_value(b"not read by the field", key=key_a, pk=a.pk)


def test_wrong_master_key_fails_closed(coordinator: Persona, settings: Settings) -> None:
    youth = make_youth(coordinator.membership, preferred_name="Cinder")
    from threadline.crypto import datakeys

    datakeys._CACHE.clear()
    settings.MASTER_KEYS = "k1:" + base64.urlsafe_b64encode(b"w" * 32).decode()
    _parse.cache_clear()
    with pytest.raises(DecryptionFailed):
        _ = Youth.objects.select_related("data_key").get(pk=youth.pk).preferred_name


def test_filtering_on_encrypted_columns_is_refused() -> None:
    with pytest.raises(FieldError):
        list(Youth.objects.filter(preferred_name="x"))


def test_queryset_update_cannot_write_plaintext(coordinator: Persona) -> None:
    youth = make_youth(coordinator.membership)
    with pytest.raises(TypeError):
        Youth.objects.filter(pk=youth.pk).update(preferred_name="plain")


def test_rotate_keys_rewraps_and_old_data_still_opens(coordinator: Persona, settings: Settings) -> None:
    from django.core.management import call_command

    from threadline.crypto.models import DataKey

    youth = make_youth(coordinator.membership, preferred_name="Dovetail")
    old = settings.MASTER_KEYS
    settings.MASTER_KEYS = "k2:" + base64.urlsafe_b64encode(b"n" * 32).decode() + "," + old
    call_command("rotate_keys")
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"k2"}
    settings.MASTER_KEYS = "k2:" + base64.urlsafe_b64encode(b"n" * 32).decode()  # old key retired
    from threadline.crypto import datakeys

    datakeys._CACHE.clear()
    assert Youth.objects.select_related("data_key").get(pk=youth.pk).preferred_name == "Dovetail"
