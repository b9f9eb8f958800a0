"""The bulk build (``matching_reindex``, ``bulk.index_rebuild``) writes for every youth exactly the rows
that youth's own update (``index.youth_index_update``) writes: the same digests, the same profile."""

from __future__ import annotations

import gc
import hashlib
import hmac
import random
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import Persona
from threadline.matching.bulk import index_rebuild
from threadline.matching.index import BulkDigests, _KeyedHash, digests_of, keyed_person_of, person_of
from threadline.matching.models import BlockKey, MatchProfile
from threadline.youth.models import Youth
from threadline.youth.services import household_member_add, youth_create

GIVEN = ["María José", "Maria", "Jose", "Guadalupe", "Destiny", "Alejandro", "Yesenia", "Liz"]
SURNAMES = ["Garcia", "García López", "de la Cruz", "Quintanilla", "Diaz", "Vasquez Ortega", "Smith"]


def _rows(youth: Youth) -> tuple[set[int], dict[str, Any], bytes]:
    digests = set(BlockKey.objects.filter(youth=youth).values_list("digest", flat=True))
    profile = MatchProfile.objects.select_related("youth__data_key").get(youth=youth)
    packed = bytes(profile.digests)
    # The profile row lists exactly the youth's keys (what its next update deletes), in byte order.
    assert packed == b"".join(sorted(d.to_bytes(8, "big", signed=True) for d in digests))
    return digests, profile.data, packed


def _youths(persona: Persona) -> list[Youth]:
    """Youths that share words, birth dates and years (the build keeps those digests), with every kind
    of field the index reads: two names, other names, phones, counties, a guardian, only an age."""
    rng = random.Random(7)
    youths = []
    for n in range(12):
        fields: dict[str, Any] = {"preferred_name": f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"}
        if n % 3:
            fields["legal_name"] = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        if n % 4 == 3:
            fields["estimated_age"] = 15
        else:
            fields["date_of_birth"] = date(2010, 1 + n % 2, 9 + n % 3)
        youth = youth_create(
            membership=persona.membership,
            aliases=[("street", rng.choice(["Smokey", "La Flaca", "Chuy"]))] if n % 2 else [],
            contact_ways=[{"kind": "phone", "value": f"(210) 555-01{n % 5:02d}"}] if n % 3 != 1 else [],
            counties=[("Bexar", "resides")] if n % 2 else [("Travis", "resides"), ("Hidalgo", "resides")],
            gender_identity="girl" if n % 2 else "",
            **fields,
        )
        if n % 5 == 0:
            household_member_add(
                membership=persona.membership, youth_id=youth.pk, name="Rosa Garcia", is_guardian=True
            )
        youths.append(youth)
    return youths


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [1, 2])
def test_the_build_writes_each_youths_own_rows(coordinator: Persona, workers: int) -> None:
    youths = _youths(coordinator)
    written = {youth.pk: _rows(youth) for youth in youths}  # by each youth's own update
    assert all(digests for digests, _profile, _packed in written.values())
    BlockKey.objects.all().delete()
    MatchProfile.objects.all().delete()
    out = StringIO()
    call_command("matching_reindex", workers=workers, stdout=out)  # processes on PostgreSQL only
    assert out.getvalue().strip() == f"indexed {len(youths)} youths"
    assert {youth.pk: _rows(youth) for youth in youths} == written


@pytest.mark.django_db
def test_the_build_sets_the_callers_heap_aside_from_the_collector_and_gives_it_back() -> None:
    seen: list[int] = []

    def batches(fail: bool) -> Any:
        seen.append(gc.get_freeze_count())  # what existed before the build: not visited meanwhile
        if fail:
            raise RuntimeError("a failed read")
        yield from ()

    assert gc.get_freeze_count() == 0
    assert index_rebuild(batches(False)) == 0
    assert seen[-1] > 0 and gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError):
        index_rebuild(batches(True))
    assert seen[-1] > 0 and gc.get_freeze_count() == 0 and gc.isenabled()
    gc.freeze()  # a caller that froze its own objects keeps them frozen
    try:
        index_rebuild(batches(False))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_builds_kept_digests_are_the_ones_computed_afresh() -> None:
    rng = random.Random(11)
    build = BulkDigests()
    odd = [
        "José María de la Cruz y Quintanilla Ortega",  # particles, accents, more than five words
        "  ",
        "J",  # one letter: no name
        "Maria Maria",  # a word twice
        "Ana-Sofía O'Neil 3rd",  # punctuation, a word with a digit
        "ÑOÑO ßtraße",  # non-ASCII case folds
        "de la",  # particles only
    ]
    for _ in range(
        300
    ):  # many youths share words, years and birth dates: most digests come from the build's store
        dob = rng.choice([None, date(2010, 1, 9), date(2011, rng.randint(1, 12), 1)])
        full = rng.choice([f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}", "Yesenia"])
        profile: dict[str, Any] = {
            # Either name first (the letter keys are the first name's with a surname, never an other
            # name's), a name also given as an other name.
            "names": rng.sample([full, rng.choice(["", *odd])], 2),
            "aliases": [rng.choice(["Smokey", "La Flaca", "Liz Smith", "", full, *odd])],
            "dob": dob.isoformat() if dob else None,
            "phones": [rng.choice(["2105550100", "", "(512) 555-0199", "1-210-555-0100", "555"])],
        }
        kept = build.keys_of(profile)
        assert {int.from_bytes(d, "big", signed=True) for d in kept} == digests_of(keyed_person_of(profile))
        assert all(len(d) == 8 for d in kept)


def test_the_builds_keyed_hash_is_hmac_sha256() -> None:
    rng = random.Random(5)
    for key in (b"", b"k", bytes(range(64)), bytes(range(65)) * 3, "clé".encode()):
        keyed = _KeyedHash(key)
        for length in (0, 1, 55, 56, 64, 200):
            message = rng.randbytes(length)
            assert keyed.digest(message) == hmac.new(key, message, hashlib.sha256).digest()


def test_the_keys_read_only_what_the_keyed_person_holds() -> None:
    profile = {
        "names": ["María José García López"],
        "aliases": ["La Flaca"],
        "dob": "2010-01-09",
        "age": 16,
        "age_on": "2026-01-09",
        "gender": "girl",
        "phones": ["(210) 555-0100"],
        "counties": ["Bexar"],
        "guardians": ["Rosa Garcia"],
    }
    assert digests_of(keyed_person_of(profile)) == digests_of(person_of(profile))


@pytest.mark.django_db
def test_an_update_replaces_the_keys_it_listed(coordinator: Persona) -> None:
    """A youth's update deletes its old keys by the digests its profile row lists (``BlockKey`` has no
    index on ``youth``): none is left behind, another youth's keys are untouched."""
    from threadline.matching.index import youth_index_remove, youth_index_update

    first, second = _youths(coordinator)[:2]
    others = _rows(second)
    before = _rows(first)
    first.preferred_name = "Quetzalli Zamarripa"
    first.save()
    youth_index_update(first)
    after = _rows(first)
    assert after[0] and after[0] != before[0]
    assert BlockKey.objects.filter(youth=first).count() == len(after[0])
    assert _rows(second) == others
    youth_index_remove(first)
    assert not BlockKey.objects.filter(youth=first).exists()
    assert not MatchProfile.objects.filter(youth=first).exists()
    assert _rows(second) == others


@pytest.mark.django_db
def test_the_migration_lists_each_profiles_keys(coordinator: Persona) -> None:
    """Migration 0005 fills ``MatchProfile.digests`` of the rows already indexed from their keys, as
    the build and each update write it (before the ``youth`` index goes)."""
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    youths = _youths(coordinator)[:4]
    written = {youth.pk: _rows(youth) for youth in youths}
    MatchProfile.objects.update(digests=b"")
    migration = import_module("threadline.matching.migrations.0005_block_key_single_index")
    migration._fill_digests(apps, SimpleNamespace(connection=connection))
    assert {youth.pk: _rows(youth) for youth in youths} == written
