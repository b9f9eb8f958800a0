"""Issue 19 (V6): length, not composition; context words; a breached-password list; all offline."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.conftest import Persona

pytestmark = pytest.mark.django_db


def refused(password: str, persona: Persona | None = None) -> list[str]:
    try:
        validate_password(password, user=persona.user if persona else None)
    except ValidationError as exc:
        return [str(e.code) for e in exc.error_list]
    return []


def test_a_long_random_number_is_a_good_password() -> None:
    assert refused("48207195536210948372") == []


def test_the_products_name_is_refused() -> None:
    assert "password_context_word" in refused("Threadline-kettle-93!")


def test_an_organizations_name_is_refused(coordinator: Persona) -> None:
    # Nadia works at "Cedar Hollow Advocacy Center".
    assert "password_context_word" in refused("Cedar-river-kettle-93!", coordinator)
    assert "password_context_word" in refused("hollowkettleriver93", coordinator)


def test_a_breached_password_that_djangos_list_lacks_is_refused() -> None:
    from django.contrib.auth.password_validation import CommonPasswordValidator

    assert "chickenwing101" not in CommonPasswordValidator().passwords
    assert refused("chickenwing101") != []


def test_a_good_passphrase_passes(coordinator: Persona) -> None:
    assert refused("Blue-river-kettle-93", coordinator) == []
