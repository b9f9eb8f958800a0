"""The text and choice checks every room's services share (``threadline.core.cleaning``): the same
plain words beside the field, in the person's language; nothing typed is cut silently."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from threadline.core.cleaning import clean_choice, clean_text


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


def _refusal(call: Callable[[], object]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_text_is_trimmed_and_kept_up_to_the_limit() -> None:
    assert clean_text("  a note \n", field="note") == "a note"
    assert clean_text("x" * 10, field="note", limit=10) == "x" * 10
    assert clean_text("", field="note") == ""
    assert clean_text(None, field="note") == ""  # type: ignore[arg-type]


def test_text_over_the_limit_is_refused_beside_its_field_not_cut() -> None:
    assert _refusal(lambda: clean_text("x" * 11, field="note", limit=10)) == {
        "note": ["Please keep this under 10 characters."]
    }


def test_required_text_refuses_only_blank() -> None:
    assert _refusal(lambda: clean_text("   ", field="title", required=True)) == {
        "title": ["Please fill this in."]
    }
    assert clean_text(" t ", field="title", required=True) == "t"


def test_refusals_speak_the_persons_language() -> None:
    with translation.override("es"):
        assert _refusal(lambda: clean_text("", field="title", required=True)) == {
            "title": ["Por favor, complete este campo."]
        }
        assert _refusal(lambda: clean_text("xyz", field="title", limit=2)) == {
            "title": ["Use menos de 2 caracteres."]
        }
        assert _refusal(lambda: clean_choice("green", Colour, field="colour")) == {
            "colour": ["Elija una de las opciones."]
        }


def test_choice_is_one_of_the_options() -> None:
    assert clean_choice("red", Colour, field="colour") == "red"
    assert _refusal(lambda: clean_choice("green", Colour, field="colour")) == {
        "colour": ["Choose one of the options."]
    }
    assert _refusal(lambda: clean_choice("", Colour, field="colour")) == {
        "colour": ["Choose one of the options."]
    }
    assert clean_choice("", Colour, field="colour", blank=True) == ""
    assert _refusal(lambda: clean_choice("green", Colour, field="colour", blank=True)) == {
        "colour": ["Choose one of the options."]
    }
