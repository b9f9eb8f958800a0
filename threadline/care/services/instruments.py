"""Loading screening instruments (definitions, versions, content hashes)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from threadline.accounts.models import User
from threadline.audit import ledger
from threadline.care.instruments import validate
from threadline.care.models import (
    Instrument,
)

DEMO_ATTESTATION = "Demo instrument written by the Threadline project; no licence needed. Not validated."


class InstrumentConflict(ValidationError):
    """The same slug and version is already loaded with different content."""


def content_hash(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class InstrumentLoaded:
    instrument: Instrument
    created: bool  # False: the identical version was already there and nothing changed


def instrument_load(
    *,
    definition: dict[str, Any],
    licence_attestation: str,
    loaded_by: User | None = None,
    activate: bool = True,
    source: str = "",
) -> InstrumentLoaded:
    """Validate and store one instrument version.

    Loading the identical file twice is harmless; loading different content under a slug+version
    that exists is refused (results already scored with it must keep meaning what they meant).
    A licence attestation is required for every instrument that is not our own demo.
    """
    definition = validate(definition, source=source)
    is_demo = bool(definition.get("demo", False))
    attestation = licence_attestation.strip()
    if not attestation:
        if not is_demo:
            raise ValidationError(
                {
                    "licence_attestation": _(
                        "Say who holds the licence to use this instrument and on what "
                        "terms; only instruments your agency is licensed to use may be loaded."
                    )
                }
            )
        attestation = DEMO_ATTESTATION
    digest = content_hash(definition)
    slug, version = definition["id"], definition["version"]
    with transaction.atomic():
        existing = Instrument.objects.select_for_update().filter(slug=slug, version=version).first()
        if existing is not None:
            if existing.content_hash != digest:
                raise InstrumentConflict(
                    _(
                        "%(slug)s %(version)s is already loaded with different content. Results scored "
                        "with it must keep their meaning: give the changed file a new version number."
                    )
                    % {"slug": slug, "version": version}
                )
            return InstrumentLoaded(existing, created=False)
        if activate:
            Instrument.objects.filter(slug=slug, is_active=True).update(is_active=False)
        instrument = Instrument.objects.create(
            slug=slug,
            version=version,
            title=definition["title"]["en"][:200],
            definition=definition,
            content_hash=digest,
            is_demo=is_demo,
            licence_attestation=attestation,
            loaded_by=loaded_by,
            is_active=activate,
        )
        ledger.record(
            actor=loaded_by,
            organization=None,
            action="load",
            object_type="instrument",
            object_id=instrument.pk,
            category="program",
            purpose=f"load screening instrument {slug} {version}",
        )
    return InstrumentLoaded(instrument, created=True)
