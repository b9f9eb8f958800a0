"""Change history (django-auditlog) for the models people edit, with identifying fields masked.

Every encrypted field is masked completely: the history says *that* a name or an address changed,
never what it was or became (auditlog's own mask keeps half the text, which is too much here).
Other apps register their models by listing them in ``HISTORY_MODELS`` below or calling ``track``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

MASK = "[hidden]"

HISTORY_MODELS: dict[str, dict[str, Any]] = {
    "accounts.Organization": {},
    "accounts.Membership": {},
    "accounts.User": {"exclude_fields": ["password", "last_login"]},
    "accounts.ApiToken": {"exclude_fields": ["token_hash", "last_used_at"]},
    # The main county is derived from the connections (``youth/counties.py``), whose own history
    # records every change to them.
    "youth.Youth": {"exclude_fields": ["data_key", "updated_at", "main_county"]},
    "youth.Alias": {},
    "youth.ContactWay": {},
    "youth.CountyConnection": {},
    "youth.HouseholdMember": {},
    "youth.Placement": {},
    "youth.PlacementAddress": {},
    "youth.MissingEpisode": {},
    "access.CareTeamMember": {},
    "access.Consent": {},
    "access.BreakGlass": {},
}


def mask_fully(value: Any) -> str:
    return MASK


def track(label: str, **options: Any) -> None:
    from auditlog.registry import auditlog

    from threadline.crypto.fields import EncryptedField

    model = apps.get_model(label)
    masked = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
    masked += options.pop("mask_fields", [])
    if not auditlog.contains(model):
        auditlog.register(
            model, mask_fields=masked, mask_callable="threadline.audit.history.mask_fully", **options
        )


def register_all() -> None:
    for label, options in HISTORY_MODELS.items():
        track(label, **dict(options))
