"""Re-generate a youth's data key (not only re-wrap it): a new random key, every field of that youth
re-encrypted under it, the old key deleted. For a data key that may have been exposed in the clear
(a memory dump, a debug session): re-wrapping would leave the same key in use.

Which rows hold that youth's fields is found, not listed: every model with an encrypted field that is
the youth itself or has a ``youth`` relation to it. All are read (opened with the old key) before the
key changes and written (sealed with the new one) after, in one transaction: a failure changes nothing.
"""

from __future__ import annotations

from typing import Any

from auditlog.context import disable_auditlog
from django.apps import apps
from django.db import models, transaction

from threadline.access.categories import Category
from threadline.audit import ledger
from threadline.crypto.datakeys import data_key_create, forget
from threadline.crypto.fields import EncryptedField
from threadline.crypto.models import DataKey


def _encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]


def _rows_of(youth: Any) -> list[tuple[models.Model, list[str]]]:
    youth_model = type(youth)
    found: list[tuple[models.Model, list[str]]] = []
    for model in apps.get_models():
        names = _encrypted_fields(model)
        if not names:
            continue
        if model is youth_model:
            found.append((youth, names))
            continue
        relation = next((f for f in model._meta.concrete_fields if f.name == "youth"), None)
        if relation is None or relation.related_model is not youth_model:
            continue
        for row in model._default_manager.filter(youth=youth):
            row.youth = youth  # type: ignore[attr-defined]
            found.append((row, names))
    return found


def data_key_regenerate(*, youth_id: Any) -> DataKey:
    youth_model = apps.get_model("youth", "Youth")
    # The change history (django-auditlog) would open the old row with the new key; it records nothing
    # readable about encrypted fields anyway. The access ledger records the regeneration instead.
    with transaction.atomic(), disable_auditlog():
        youth = youth_model._default_manager.select_for_update().select_related("data_key").get(pk=youth_id)
        old_key = youth.data_key
        rows = _rows_of(youth)
        for row, names in rows:
            for name in names:
                getattr(row, name)  # opened now, with the old key
        new_key = data_key_create()
        youth.data_key = new_key
        youth.save(update_fields=["data_key"])
        for row, names in rows:
            if row is youth:
                youth.save(update_fields=names)
            else:
                row.save(update_fields=names)
        ledger.record(
            actor=None,
            organization=None,
            action="data_key_regenerated",
            object_type="youth",
            object_id=youth.pk,
            youth_id=youth.pk,
            category=Category.RECORD,
            purpose=f"new data key; {len(rows)} rows re-encrypted",
        )
        old_id = str(old_key.pk)
        DataKey.objects.filter(pk=old_key.pk).delete()
        transaction.on_commit(lambda: forget(old_id))
    return new_key


def regenerate_all() -> int:
    youth_model = apps.get_model("youth", "Youth")
    done = 0
    for pk in youth_model._default_manager.order_by("pk").values_list("pk", flat=True).iterator():
        data_key_regenerate(youth_id=pk)
        done += 1
    return done
