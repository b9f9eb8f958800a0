"""The check every write path's test makes: each youth's stored main county is the one the rule
(``youth/counties.py``) derives from their connections as they are in the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from threadline.youth.counties import main_county
from threadline.youth.models import CountyConnection
from threadline.youth.policy import youth_for_maintenance


def main_counties_off_the_rule(youth_ids: Iterable[Any] | None = None) -> dict[str, tuple[str, str]]:
    """{youth id: (stored, by the rule)} for every youth (or those given) whose column disagrees."""
    youths = youth_for_maintenance()
    if youth_ids is not None:
        youths = youths.filter(pk__in=list(youth_ids))
    stored = dict(youths.values_list("pk", "main_county"))
    connections: dict[Any, list[tuple[str, str, Any]]] = defaultdict(list)
    for youth_id, kind, county, pk in CountyConnection.objects.filter(youth_id__in=list(stored)).values_list(
        "youth_id", "kind", "county", "pk"
    ):
        connections[youth_id].append((kind, county, pk))
    off = {}
    for youth_id, county in stored.items():
        expected = main_county(connections[youth_id])
        if county != expected:
            off[str(youth_id)] = (county, expected)
    return off
