"""docs/security/data.md holds the classification of every youth field, generated from the one map."""

from __future__ import annotations

from threadline.youth.fields import FIELD_CATEGORIES
from threadline.youth.management.commands.data_classification import DOC, with_table


def test_the_document_lists_every_field_with_its_category() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert with_table(text) == text, "stale: run python manage.py data_classification --write"
    for model, fields in FIELD_CATEGORIES.items():
        for name in fields:
            assert f"| `{model}` | `{name}` |" in text
