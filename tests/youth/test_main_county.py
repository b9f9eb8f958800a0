"""A youth's main county (``youth/counties.py``): the rule itself, and the column kept by it when a
record is opened with its counties, when the column is filled for youths written before it, and a
check that notices a column off the rule."""

from __future__ import annotations

import importlib
import itertools
import uuid
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from tests.conftest import Persona
from tests.factories.youth import make_youth
from tests.youth.main_county_rule import main_counties_off_the_rule
from threadline.youth.counties import CONNECTION_PRIORITY, main_county
from threadline.youth.models import CountyConnection
from threadline.youth.policy import youth_for_maintenance

FIRST, SECOND = uuid.UUID(int=1), uuid.UUID(int=2**127)


def test_the_best_kind_wins_whatever_the_order() -> None:
    best_first = [
        ("resides", "McLennan", SECOND),
        ("physically_present", "Bexar", SECOND),
        ("victimized_in", "Kerr", FIRST),
        ("travelling_to", "Travis", FIRST),
        ("found_in", "Hidalgo", FIRST),
    ]
    assert [kind for kind, _, _ in best_first[:-1]] == list(CONNECTION_PRIORITY)
    for i, (_, county, _) in enumerate(best_first):
        for order in itertools.permutations(best_first[i:]):
            assert main_county(order) == county


def test_a_kind_outside_the_priority_counts_only_alone_and_no_connection_is_blank() -> None:
    assert main_county([("found_in", "Hidalgo", FIRST)]) == "Hidalgo"
    assert main_county([("found_in", "Hidalgo", FIRST), ("travelling_to", "Travis", SECOND)]) == "Travis"
    assert main_county([]) == ""


def test_between_two_of_one_kind_the_first_id_wins() -> None:
    assert main_county([("resides", "Kerr", SECOND), ("resides", "Bexar", FIRST)]) == "Bexar"
    assert main_county([("resides", "Kerr", FIRST), ("resides", "Bexar", SECOND)]) == "Kerr"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("counties", "expected"),
    [
        ([("Bexar", "physically_present")], "Bexar"),
        ([("Kerr", "victimized_in"), ("Bexar", "physically_present"), ("Travis", "resides")], "Travis"),
        ([("Travis", "travelling_to"), ("Kerr", "victimized_in")], "Kerr"),
        ([("Hidalgo", "found_in")], "Hidalgo"),
        ([], ""),
    ],
)
def test_a_new_record_keeps_the_county_of_its_best_connection(
    advocate: Persona, counties: list[tuple[str, str]], expected: str
) -> None:
    youth = make_youth(advocate.membership, counties=counties)
    stored = youth_for_maintenance().get(pk=youth.pk)
    assert (stored.main_county, youth.main_county) == (expected, expected)
    assert stored.version == 1  # nobody edited the record
    assert main_counties_off_the_rule([youth.pk]) == {}


@pytest.mark.django_db
def test_the_first_id_is_the_one_the_database_orders_first(advocate: Persona) -> None:
    """Two counties of one kind: the rule's first id is the database's (uuid on PostgreSQL, hex text
    on SQLite), whichever way the random ids fall."""
    for _ in range(6):
        youth = make_youth(advocate.membership, counties=[("Bexar", "resides"), ("Kerr", "resides")])
        first = (
            CountyConnection.objects.filter(youth=youth).order_by("pk").values_list("county", flat=True)[0]
        )
        assert youth_for_maintenance().get(pk=youth.pk).main_county == first


@pytest.mark.django_db
def test_the_check_notices_a_column_off_the_rule(advocate: Persona) -> None:
    youth = make_youth(advocate.membership, counties=[("Bexar", "resides"), ("Kerr", "victimized_in")])
    assert main_counties_off_the_rule() == {}
    youth_for_maintenance().filter(pk=youth.pk).update(main_county="Kerr")
    assert main_counties_off_the_rule() == {str(youth.pk): ("Kerr", "Bexar")}


@pytest.mark.django_db
def test_the_migration_fills_the_youths_written_before_the_column(
    advocate: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [
        make_youth(advocate.membership, counties=[("Kerr", "victimized_in"), ("Travis", "resides")]),
        make_youth(advocate.membership, counties=[("Hidalgo", "found_in")]),
        make_youth(advocate.membership, counties=[]),
        *[
            make_youth(advocate.membership, counties=[(f"County {i % 2}", "physically_present")])
            for i in range(7)
        ],
    ]
    youth_for_maintenance().update(main_county="")
    migration = importlib.import_module("threadline.youth.migrations.0006_youth_main_county")
    monkeypatch.setattr(migration, "IDS_PER_UPDATE", 2)  # several writes per county, some left at the end
    migration.fill_main_county(apps, SimpleNamespace(connection=connection))
    assert main_counties_off_the_rule() == {}
    stored = dict(youth_for_maintenance().values_list("pk", "main_county"))
    assert [stored[y.pk] for y in made[:3]] == ["Travis", "Hidalgo", ""]
