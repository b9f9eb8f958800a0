"""Which category each field of youth data belongs to: ONE place, as data.

Reads (pages, API responses), writes (forms, PATCH), conflict bodies and ledger rows all ask this map
which category a field is in, and the policy (``access``) answers per category. A test introspects the
models and fails when a field is missing here or a name here is not a field, so a new column cannot be
added without deciding who may see it; ``docs/security/data.md`` is generated from this map.

``RECORD`` is the shell of a record (ids, reference code, versions, timestamps, keys): what anyone who
may see the youth at all may see. ``PER_ROW`` marks a field whose category is the one stored in the same
row (``ROW_CATEGORY_COLUMN`` names that column): the youth's timeline holds entries of every category.
"""

from __future__ import annotations

from collections.abc import Iterable

from threadline.access.categories import Category

PER_ROW = "per_row"

# Protections, for the classification document: how a field is kept at rest.
ENCRYPTED = "encrypted (AES-256-GCM, per-youth data key)"
BLIND_INDEX = "keyed blind index (HMAC-SHA-256, BLIND_INDEX_KEY)"
CLEAR = "clear (not identifying on its own)"

_R = Category.RECORD
_I = Category.IDENTITY

FIELD_CATEGORIES: dict[str, dict[str, str]] = {
    "youth.Youth": {
        "id": _R,
        "reference": _R,
        "data_key": _R,
        "status": _R,
        "version": _R,
        "created_at": _R,
        "created_by_org": _R,
        "updated_at": _R,
        "preferred_name": _I,
        "legal_name": _I,
        "date_of_birth": _I,
        # An age narrows who a youth is (with a county, often to a handful): identity, not the shell.
        "estimated_age": _I,
        "age_recorded_on": _I,
        "gender_identity": _I,
        "gender_group": _I,
        # Derived from the county connections (``youth/counties.py``): a county, like theirs.
        "main_county": _I,
        "pronouns": _I,
        "languages": _I,
        "legal_status": Category.LEGAL,
        "school": Category.EDUCATION,
    },
    "youth.Alias": {"id": _R, "youth": _R, "kind": _I, "name": _I},
    "youth.ContactWay": {
        "id": _R,
        "youth": _R,
        "kind": _I,
        "value": _I,
        "safe_to_contact": _I,
        "safe_to_leave_message": _I,
    },
    # How the youth prefers to be met: beside the safe-contact flags, in the same category.
    "youth.MeetingPreference": {
        "id": _R,
        "youth": _R,
        "version": _R,
        "updated_at": _R,
        "ways": _I,
        "places": _I,
        "avoid": _I,
    },
    "youth.CountyConnection": {"id": _R, "youth": _R, "county": _I, "kind": _I},
    "youth.HouseholdMember": {
        "id": _R,
        "youth": _R,
        "version": _R,
        "name": _I,
        "relationship": _I,
        "is_guardian": _I,
        "is_non_offending_caregiver": _I,
        "contact_restrictions": _I,
        "alleged_exploiter": _I,
    },
    # Where a youth lives is location, not only the street address: "foster home since March" with a
    # county narrows it to a few houses (issue 16, item 5). Placements are the location category.
    "youth.Placement": {
        "id": _R,
        "youth": _R,
        "placement_type": Category.LOCATION,
        "started_on": Category.LOCATION,
        "ended_on": Category.LOCATION,
        "reason_ended": Category.LOCATION,
        "felt_safe": Category.LOCATION,
    },
    "youth.PlacementAddress": {
        "id": _R,
        "youth": _R,
        "placement": Category.LOCATION,
        "address": Category.LOCATION,
    },
    "youth.MissingEpisode": {
        "id": _R,
        "youth": _R,
        "started_at": Category.CARE_PLAN,
        "ended_at": Category.CARE_PLAN,
        "notifications": Category.CARE_PLAN,
        "return_debrief": Category.CARE_PLAN,
        "debrief_done_on": Category.CARE_PLAN,
    },
    "youth.TimelineEntry": {
        "id": _R,
        "youth": _R,
        "category": _R,
        "at": PER_ROW,
        "date_only": PER_ROW,
        "kind": PER_ROW,
        "summary": PER_ROW,
        "message": PER_ROW,
        "object_type": PER_ROW,
        "object_id": PER_ROW,
        "author": PER_ROW,
        "organization": PER_ROW,
    },
    "youth.SearchToken": {"id": _R, "youth": _I, "kind": _I, "digest": _I, "token_group": _I},
    # Kept after the youth is gone (who asked, who approved): the record's shell only.
    "youth.ErasureRequest": {
        "id": _R,
        "youth_reference": _R,
        "youth_id_value": _R,
        "reason": _R,
        "requested_by": _R,
        "requested_at": _R,
        "approved_by": _R,
        "approved_at": _R,
        "erased_at": _R,
    },
}

ROW_CATEGORY_COLUMN: dict[str, str] = {"youth.TimelineEntry": "category"}

# The youth's own fields a person may change (anything else in a request is refused).
YOUTH_EDITABLE = (
    "preferred_name",
    "legal_name",
    "date_of_birth",
    "estimated_age",
    "gender_identity",
    "pronouns",
    "languages",
    "legal_status",
    "school",
)


def category_of(model: str, field: str) -> str:
    """The category of ``model.field`` (``"youth.Youth"``, ``"school"``). KeyError for an unmapped
    field: failing loudly beats disclosing by default."""
    return FIELD_CATEGORIES[model][field]


def youth_field_category(field: str) -> str:
    return category_of("youth.Youth", field)


def categories_of(model: str, fields: Iterable[str]) -> frozenset[str]:
    return frozenset(category_of(model, f) for f in fields)


def youth_fields_in(categories: Iterable[str]) -> tuple[str, ...]:
    """The youth's own editable fields that fall in these categories, in form order."""
    allowed = set(categories)
    return tuple(f for f in YOUTH_EDITABLE if youth_field_category(f) in allowed)


def editable_categories() -> frozenset[str]:
    return frozenset(youth_field_category(f) for f in YOUTH_EDITABLE)


def protection_of(model_label: str, field_name: str) -> str:
    """How a field is kept at rest, read from the model itself."""
    from django.apps import apps

    from threadline.crypto.fields import EncryptedField

    field = apps.get_model(model_label)._meta.get_field(field_name)
    if isinstance(field, EncryptedField):
        return ENCRYPTED
    if model_label == "youth.SearchToken" and field_name == "digest":
        return BLIND_INDEX
    return CLEAR


def classification_markdown() -> str:
    """The data-classification table of ``docs/security/data.md``, generated from this map."""
    lines = ["| model | field | category | at rest |", "| --- | --- | --- | --- |"]
    for model_label, fields in FIELD_CATEGORIES.items():
        for name, category in fields.items():
            shown = f"per row (`{ROW_CATEGORY_COLUMN[model_label]}`)" if category == PER_ROW else category
            lines.append(f"| `{model_label}` | `{name}` | {shown} | {protection_of(model_label, name)} |")
    return "\n".join(lines) + "\n"
