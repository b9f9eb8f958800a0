"""Reading an id from a form, a URL or a body (``threadline.core.ids``): a malformed id answers like a
missing row, never a 500."""

from __future__ import annotations

import uuid

import pytest

from threadline.core.ids import int_or_zero, uuid_or_raise


class Missing(Exception):
    pass


def test_uuid_or_raise_reads_a_uuid_in_any_form() -> None:
    pk = uuid.uuid4()
    assert uuid_or_raise(pk, Missing) == pk
    assert uuid_or_raise(str(pk), Missing) == pk
    assert uuid_or_raise(pk.hex, Missing) == pk


@pytest.mark.parametrize("value", ["", "search", "12", None, 12, ["x"], "'; drop table"])
def test_uuid_or_raise_answers_a_malformed_id_with_the_callers_missing(value: object) -> None:
    with pytest.raises(Missing):
        uuid_or_raise(value, Missing)


@pytest.mark.parametrize(("value", "expected"), [(7, 7), ("7", 7), (" 7 ", 7), ("-3", -3)])
def test_int_or_zero_reads_an_integer(value: object, expected: int) -> None:
    assert int_or_zero(value) == expected


@pytest.mark.parametrize("value", ["", "seven", "1.5", None, [1], object()])
def test_int_or_zero_answers_zero_for_anything_else(value: object) -> None:
    assert int_or_zero(value) == 0
