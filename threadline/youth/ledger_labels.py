"""Record codes for the access ledger (``audit.labels``): a row about a youth shows "Y-GJCFVC", never
the youth's internal id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from threadline.youth.policy import references_for_ledger


def youth_references(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    return references_for_ledger(ids)


def youth_id_by_reference(reference: str) -> uuid.UUID | None:
    """The ledger's "youth" filter: a record code typed by the reader, to the id its rows carry."""
    from threadline.youth.policy import youth_id_by_reference as lookup

    return lookup(reference)
