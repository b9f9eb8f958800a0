"""The shape of an instrument file, as JSON Schema (draft 2020-12).

Structure only: everything that needs cross-references (an item's scale exists, bands neither
overlap nor leave gaps, rules point at real items and answers) is checked in ``validation``.
Unknown keys are refused everywhere, so a typo ("scrore") is an error, not a silently ignored key.
"""

from __future__ import annotations

from typing import Any

ACTION_KINDS = ("create_task", "schedule_rescreen")

# A short identifier: sections, items, scales, bands.
KEY: dict[str, Any] = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 60}

# Text a person reads. English is required; Spanish is optional for an agency's own licensed
# instruments (we do not translate another publisher's text), but the demo ships both.
TEXT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "en": {"type": "string", "minLength": 1, "maxLength": 2000},
        "es": {"type": "string", "minLength": 1, "maxLength": 2000},
    },
    "required": ["en"],
    "additionalProperties": False,
}

ACTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "kind": {"enum": list(ACTION_KINDS)},
        "title": TEXT,
        "due_in_days": {"type": "integer", "minimum": 0, "maximum": 365},
        "in_days": {"type": "integer", "minimum": 1, "maximum": 730},
    },
    "required": ["kind"],
    "additionalProperties": False,
}

OPTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "value": {"type": "string", "minLength": 1, "maxLength": 40},
        "label": TEXT,
        # null: an answer that is recorded but not scored ("prefer not to say").
        "score": {"type": ["integer", "null"], "minimum": -1000, "maximum": 1000},
    },
    "required": ["value", "label", "score"],
    "additionalProperties": False,
}

SCALE: dict[str, Any] = {
    "type": "object",
    "properties": {"options": {"type": "array", "minItems": 2, "maxItems": 20, "items": OPTION}},
    "required": ["options"],
    "additionalProperties": False,
}

ITEM: dict[str, Any] = {
    "type": "object",
    "properties": {"id": KEY, "text": TEXT, "help": TEXT, "scale": KEY},
    "required": ["id", "text", "scale"],
    "additionalProperties": False,
}

SECTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": KEY,
        "title": TEXT,
        "items": {"type": "array", "minItems": 1, "maxItems": 200, "items": ITEM},
    },
    "required": ["id", "title", "items"],
    "additionalProperties": False,
}

BAND: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": KEY,
        "label": TEXT,
        "description": TEXT,
        "min": {"type": "integer"},
        "max": {"type": "integer"},
        "actions": {"type": "array", "items": ACTION},
    },
    "required": ["id", "label", "min", "max"],
    "additionalProperties": False,
}

CONDITION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "item": KEY,
        "answers": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    },
    "required": ["item", "answers"],
    "additionalProperties": False,
}

RULE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "when_any": {"type": "array", "minItems": 1, "items": CONDITION},
        "band": KEY,
        "reason": TEXT,
    },
    "required": ["when_any", "band"],
    "additionalProperties": False,
}

INSTRUMENT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
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
    "required": ["id", "version", "title", "licence", "scales", "sections", "bands"],
    "additionalProperties": False,
}
