"""The shape of an instrument file, as JSON Schema (draft 2020-12).

Structure only: everything that needs cross-references (an item's scale exists, bands neither
overlap nor leave gaps, rules point at real items and answers) is checked in ``validation``.
Unknown keys are refused everywhere, so a typo ("scrore") is an error, not a silently ignored key.
"""

from __future__ import annotations

from typing import Any

ACTION_KINDS = ("create_task", "schedule_rescreen")


def closed(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    """An object of these keys and no others (an unknown key is an error), the ``required`` ones
    always there."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


# A short identifier: sections, items, scales, bands.
KEY: dict[str, Any] = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 60}

# Text a person reads. English is required; Spanish is optional for an agency's own licensed
# instruments (we do not translate another publisher's text), but the demo ships both.
TEXT = closed(
    {
        "en": {"type": "string", "minLength": 1, "maxLength": 2000},
        "es": {"type": "string", "minLength": 1, "maxLength": 2000},
    },
    "en",
)

ACTION = closed(
    {
        "kind": {"enum": list(ACTION_KINDS)},
        "title": TEXT,
        "due_in_days": {"type": "integer", "minimum": 0, "maximum": 365},
        "in_days": {"type": "integer", "minimum": 1, "maximum": 730},
    },
    "kind",
)

OPTION = closed(
    {
        "value": {"type": "string", "minLength": 1, "maxLength": 40},
        "label": TEXT,
        # null: an answer that is recorded but not scored ("prefer not to say").
        "score": {"type": ["integer", "null"], "minimum": -1000, "maximum": 1000},
    },
    "value",
    "label",
    "score",
)

SCALE = closed(
    {"options": {"type": "array", "minItems": 2, "maxItems": 20, "items": OPTION}},
    "options",
)

ITEM = closed(
    {"id": KEY, "text": TEXT, "help": TEXT, "scale": KEY},
    "id",
    "text",
    "scale",
)

SECTION = closed(
    {
        "id": KEY,
        "title": TEXT,
        "items": {"type": "array", "minItems": 1, "maxItems": 200, "items": ITEM},
    },
    "id",
    "title",
    "items",
)

BAND = closed(
    {
        "id": KEY,
        "label": TEXT,
        "description": TEXT,
        "min": {"type": "integer"},
        "max": {"type": "integer"},
        "actions": {"type": "array", "items": ACTION},
    },
    "id",
    "label",
    "min",
    "max",
)

CONDITION = closed(
    {
        "item": KEY,
        "answers": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    },
    "item",
    "answers",
)

RULE = closed(
    {
        "when_any": {"type": "array", "minItems": 1, "items": CONDITION},
        "band": KEY,
        "reason": TEXT,
    },
    "when_any",
    "band",
)

INSTRUMENT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    **closed(
        {
            "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$", "maxLength": 60},
            "version": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+){0,3}$", "maxLength": 20},
            "title": TEXT,
            "description": TEXT,
            "licence": TEXT,
            "demo": {"type": "boolean"},
            "scales": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": KEY,
                "additionalProperties": SCALE,
            },
            "sections": {"type": "array", "minItems": 1, "maxItems": 50, "items": SECTION},
            "bands": {"type": "array", "minItems": 1, "maxItems": 10, "items": BAND},
            "rules": {"type": "array", "items": RULE},
        },
        "id",
        "version",
        "title",
        "licence",
        "scales",
        "sections",
        "bands",
    ),
}
