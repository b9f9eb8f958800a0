"""Who is looking, and therefore which listings and which addresses they may see.

- anyone (the public directory, anonymous /hsds/ callers, a public export): vetted public listings;
- staff of partner agencies (signed in or with an API token, may SEARCH_DIRECTORY): network too;
- staff of the Care Coordinator: private too;
- confidential addresses (shelters, safe houses): only people who may MANAGE_DIRECTORY, and a full
  (``--visibility all``) export made by an operator on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.directory.models import Visibility

if TYPE_CHECKING:
    from threadline.accounts.models import Membership


@dataclass(frozen=True)
class Scope:
    levels: frozenset[str]
    confidential: bool = False  # may see the addresses of confidential locations
    internal: bool = False  # every listing whatever its state, reviewer notes, change metadata

    @property
    def name(self) -> str:
        if self.internal:
            return "all"
        if Visibility.PRIVATE in self.levels:
            return "private"
        return "network" if Visibility.NETWORK in self.levels else "public"


PUBLIC = Scope(frozenset({Visibility.PUBLIC}))
NETWORK = Scope(frozenset({Visibility.PUBLIC, Visibility.NETWORK}))
ALL = Scope(frozenset(Visibility.values), confidential=True, internal=True)


def scope_for(membership: Membership | None) -> Scope:
    if not may(membership, Action.SEARCH_DIRECTORY):
        return PUBLIC
    assert membership is not None
    levels = {Visibility.PUBLIC, Visibility.NETWORK}
    if may(membership, Action.SEE_PRIVATE_LISTINGS):
        levels.add(Visibility.PRIVATE)
    return Scope(frozenset(levels), confidential=bool(may(membership, Action.MANAGE_DIRECTORY)))


def scope_named(name: str) -> Scope:
    return {"public": PUBLIC, "network": NETWORK, "all": ALL}[name]
