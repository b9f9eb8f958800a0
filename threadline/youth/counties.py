"""The county a youth is counted in: their main county, derived from their county connections.

The connections stay where they are (``CountyConnection``: which counties, and how the youth is
connected to each); the county of the best one is derived from them whenever they are written and kept
on the youth (``Youth.main_county``), in the same category as the connections (identity), for counting
only: funder reports and the supervisor's dashboard group youths by it in the database instead of
sorting every connection of every youth served at each view (issue 12). The rule is here, once:

- the best kind first (``CONNECTION_PRIORITY``): lives there, is there now, was harmed there,
  travelling there; any other kind (found there) after those;
- between two connections of the same kind, the first by id;
- no connection: blank (the county is not known).

Every service that writes a youth's connections calls ``county_services.main_county_refresh`` in the
same transaction (no signal: the house keeps domain rules out of signals); a bulk loader sets the
column itself from ``main_county``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

# Which connection names "the" county of a youth, best first.
CONNECTION_PRIORITY = ("resides", "physically_present", "victimized_in", "travelling_to")


def connection_rank(kind: str) -> int:
    """A connection's place in ``CONNECTION_PRIORITY`` (best first, 0; any other kind after them)."""
    return CONNECTION_PRIORITY.index(kind) if kind in CONNECTION_PRIORITY else len(CONNECTION_PRIORITY)


def main_county(connections: Iterable[tuple[str, str, uuid.UUID]]) -> str:
    """The main county of one youth from their connections as (kind, county, id): the county of the
    best kind, the first by id between two of one kind; blank without any connection. Ids compare as
    the databases order them (PostgreSQL's ``uuid``, SQLite's 32 hex digits: both byte by byte)."""
    best = min(connections, key=lambda c: (connection_rank(c[0]), c[2].int), default=None)
    return "" if best is None else best[1]
