"""The main county kept on the youth (``youth/counties.py``), filled for the youths already written.

One pass over the connections in youth order, a batch at a time; the youths are then written grouped
by county (one UPDATE per county and batch of ids), not one statement per youth: at 50,000 youths
(150,000 connections) this takes seconds. Backwards the column is dropped, nothing to undo."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import migrations, models

from threadline.youth.counties import main_county

BATCH = 5000
IDS_PER_UPDATE = 500  # well under every database's parameter limit


def fill_main_county(apps: Any, schema_editor: Any) -> None:
    Youth = apps.get_model("youth", "Youth")
    CountyConnection = apps.get_model("youth", "CountyConnection")
    alias = schema_editor.connection.alias
    by_county: dict[str, list[Any]] = defaultdict(list)

    def write(county: str, ids: list[Any]) -> None:
        Youth.objects.using(alias).filter(pk__in=ids).update(main_county=county)

    def settle(youth_id: Any, rows: list[tuple[str, str, Any]]) -> None:
        county = main_county(rows)
        if county:  # blank is the column's default
            by_county[county].append(youth_id)
            if len(by_county[county]) >= IDS_PER_UPDATE:
                write(county, by_county.pop(county))

    current: Any = None
    rows: list[tuple[str, str, Any]] = []
    connections = (
        CountyConnection.objects.using(alias)
        .order_by("youth_id")
        .values_list("youth_id", "kind", "county", "pk")
        .iterator(chunk_size=BATCH)
    )
    for youth_id, kind, county, pk in connections:
        if youth_id != current:
            if current is not None:
                settle(current, rows)
            current, rows = youth_id, []
        rows.append((kind, county, pk))
    if current is not None:
        settle(current, rows)
    for county, ids in by_county.items():
        write(county, ids)


class Migration(migrations.Migration):
    dependencies = [
        ("youth", "0005_youth_gender_group_for_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="youth",
            name="main_county",
            field=models.CharField(blank=True, default="", editable=False, max_length=80),
        ),
        migrations.RunPython(fill_main_county, migrations.RunPython.noop, elidable=True),
    ]
