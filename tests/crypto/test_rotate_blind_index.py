"""Issue 9 (suite) / 19 V11: BLIND_INDEX_KEY is replaced in place. Tokens are re-made in batches; search
finds every youth under either key meanwhile, and only under the new one afterwards."""

from __future__ import annotations

import secrets

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.crypto import blind
from threadline.crypto.keys import blind_index_keys
from threadline.youth.models import SearchToken
from threadline.youth.selectors import youth_search

pytestmark = pytest.mark.django_db


def found(persona: Persona, query: str) -> list[str]:
    return sorted(r.youth.reference for r in youth_search(membership=persona.membership, query=query))


def test_blind_index_key_rotation_in_place(coordinator: Persona, settings: Settings) -> None:
    old = settings.BLIND_INDEX_KEY
    youths = [
        make_youth(coordinator.membership, preferred_name=f"Anselma{n}", legal_name="Anselma Torrevieja")
        for n in range(5)
    ]
    everyone = sorted(y.reference for y in youths)
    assert found(coordinator, "Torrevieja") == everyone
    old_tokens = set(SearchToken.objects.values_list("digest", flat=True))

    new = secrets.token_urlsafe(32)
    settings.BLIND_INDEX_KEY = f"b2:{new},b1:{old}"
    assert [k for k, _ in blind_index_keys()] == ["b2", "b1"]
    # Before any re-indexing, search still finds everyone (old tokens, old key accepted).
    assert found(coordinator, "Torrevieja") == everyone
    # Halfway: some youths re-indexed under the new key, the rest still under the old.
    from threadline.youth.search_index import reindex

    reindex(youths[0])
    reindex(youths[1])
    assert found(coordinator, "Torrevieja") == everyone
    call_command("rotate_blind_index", "--batch", "2")
    new_tokens = set(SearchToken.objects.values_list("digest", flat=True))
    assert not (new_tokens & old_tokens)
    with blind.using(new.encode()):
        assert blind.digest("name", "torrevieja") in new_tokens

    settings.BLIND_INDEX_KEY = new  # the old key is retired
    assert found(coordinator, "Torrevieja") == everyone
    assert found(coordinator, "Anselma3") == [youths[3].reference]
