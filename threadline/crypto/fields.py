"""Encrypted model fields.

The database holds ``version | nonce | AES-GCM(ciphertext+tag)`` bytes; the model attribute holds the
plain value, decrypted lazily on first access with the row's own data key. Associated data is
``table|column|pk`` (primary keys are UUIDs made in Python, so they exist before the first INSERT).

A model with encrypted fields implements ``encryption_key() -> bytes``. Falsy values survive the round
trip (``""`` is stored as an encrypted empty string, only ``None`` is NULL), and filtering on an
encrypted column is refused: search goes through blind indexes instead.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from threadline.crypto.envelope import DecryptionFailed, open_sealed, seal


class Sealed:
    """Ciphertext as read from the database, not yet opened."""

    __slots__ = ("blob",)

    def __init__(self, blob: bytes) -> None:
        self.blob = blob

    def __repr__(self) -> str:
        return "<sealed>"


_JSON = json.JSONEncoder(separators=(",", ":"), sort_keys=True)  # json.dumps's, made once


def _encode(codec: str, value: Any) -> bytes:
    if codec == "text":
        if not isinstance(value, str):
            raise TypeError("encrypted text field takes str")
        return value.encode()
    if codec == "date":
        if not isinstance(value, datetime.date):
            raise TypeError("encrypted date field takes a date")
        return value.isoformat().encode()
    if codec == "json":
        return _JSON.encode(value).encode()
    raise ValueError(codec)


def _decode(codec: str, raw: bytes) -> Any:
    if codec == "text":
        return raw.decode()
    if codec == "date":
        return datetime.date.fromisoformat(raw.decode())
    return json.loads(raw)


class EncryptedDescriptor:
    def __init__(self, field: EncryptedField) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        attname = self.field.attname
        if attname not in instance.__dict__:
            instance.refresh_from_db(fields=[attname])
        value = instance.__dict__[attname]
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.BinaryField):  # type: ignore[type-arg]
    description = "Encrypted value (AES-GCM envelope)"

    def __init__(self, *args: Any, codec: str = "text", **kwargs: Any) -> None:
        if codec not in {"text", "date", "json"}:
            raise ValueError(f"unknown codec {codec!r}")
        self.codec = codec
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["codec"] = self.codec
        return name, path, args, kwargs

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, EncryptedDescriptor(self))

    def _aad(self, instance: Any) -> bytes:
        if instance.pk is None:
            raise ValueError("encrypted fields need the primary key before saving (use a UUID pk)")
        return self._aad_of(instance._meta.db_table, instance.pk)

    def _aad_of(self, table: str, pk: Any) -> bytes:
        return f"{table}|{self.column}|{pk}".encode()

    def open(self, instance: Any, sealed: Sealed) -> Any:
        raw = open_sealed(sealed.blob, key=instance.encryption_key(), aad=self._aad(instance))
        return _decode(self.codec, raw)

    def open_value(self, sealed: object, *, key: bytes, pk: Any) -> Any:
        """``open`` of a value read without its model instance (``values_list``): the row's primary
        key and its data key, as an instance of the field's own model would give them. ``sealed`` is
        what ``from_db_value`` made of the column (typed by the stubs as the column's bytes)."""
        if not isinstance(sealed, Sealed):
            raise TypeError("open_value takes a value this field read from the database")
        aad = self._aad_of(self.model._meta.db_table, pk)
        return _decode(self.codec, open_sealed(sealed.blob, key=key, aad=aad))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else Sealed(bytes(value))

    def to_python(self, value: Any) -> Any:
        return value

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or isinstance(value, Sealed):
            return value
        return Sealed(
            seal(
                _encode(self.codec, value), key=model_instance.encryption_key(), aad=self._aad(model_instance)
            )
        )

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if isinstance(value, Sealed):
            value = value.blob
        elif value is not None and not isinstance(value, (bytes, memoryview)):
            # QuerySet.update(field="plain") would bypass pre_save and store plaintext: refuse.
            raise TypeError("encrypted fields are written through Model.save(), never QuerySet.update()")
        return super().get_db_prep_value(value, connection, prepared)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError("encrypted fields cannot be searched; use the blind index")
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj: Any) -> str:
        return "<encrypted>"


def EncryptedTextField(**kwargs: Any) -> EncryptedField:
    return EncryptedField(codec="text", **kwargs)


def EncryptedDateField(**kwargs: Any) -> EncryptedField:
    return EncryptedField(codec="date", **kwargs)


def EncryptedJSONField(**kwargs: Any) -> EncryptedField:
    return EncryptedField(codec="json", **kwargs)


__all__ = [
    "DecryptionFailed",
    "EncryptedDateField",
    "EncryptedField",
    "EncryptedJSONField",
    "EncryptedTextField",
    "Sealed",
]
