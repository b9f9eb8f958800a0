"""``hsds_export``: the directory as one JSON file per HSDS object type and a CSV data package,
for one audience (public, network or all). The Gate decides what each audience may see."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from threadline.directory import models as m
from threadline.directory.audience import Scope
from threadline.directory.hsds.serialize import Gate, Obj, flat
from threadline.directory.hsds.spec import PROFILE_COLUMNS, TYPES

PROFILE_URL = "https://github.com/threadline/threadline/tree/main/docs/hsds-profile"


def _rows(type_name: str) -> list[Any]:
    spec = TYPES[type_name]
    if spec.model is None:
        return list(m.HsdsRecord.objects.filter(object_type=type_name).order_by("hsds_id"))
    return list(spec.model._default_manager.order_by("pk"))


def collect(scope: Scope) -> dict[str, list[Obj]]:
    gate = Gate(scope)
    gate.preload()
    out: dict[str, list[Obj]] = {}
    for type_name in TYPES:
        items = []
        for row in _rows(type_name):
            subject = {"id": row.hsds_id, **row.data} if isinstance(row, m.HsdsRecord) else row
            if gate.detail_ok(type_name, subject):
                items.append(flat(type_name, row, gate))
        out[type_name] = items
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def write(folder: Path, scope: Scope) -> dict[str, int]:
    objects = collect(scope)
    json_dir, csv_dir = folder / "json", folder / "csv"
    json_dir.mkdir(parents=True, exist_ok=True)
    csv_dir.mkdir(parents=True, exist_ok=True)
    resources = []
    for type_name, items in objects.items():
        spec = TYPES[type_name]
        (json_dir / f"{type_name}.json").write_text(json.dumps(items, indent=2, ensure_ascii=False) + "\n")
        columns = ["id", *spec.fields, *PROFILE_COLUMNS.get(type_name, ())]
        with (csv_dir / spec.csv).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for item in items:
                writer.writerow([_cell(_column(item, c)) for c in columns])
        resources.append(
            {
                "name": type_name,
                "path": spec.csv,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "schema": {"fields": [{"name": c, "type": _csv_type(spec.name, c)} for c in columns]},
            }
        )
    package = {
        "name": "threadline-directory",
        "title": f"Threadline referral directory ({scope.name})",
        "profile": "tabular-data-package",
        "description": "Open Referral HSDS 3.1 with the Threadline profile",
        "homepage": PROFILE_URL,
        "resources": resources,
    }
    (csv_dir / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n")
    return {k: len(v) for k, v in objects.items()}


def _column(item: Obj, column: str) -> Any:
    if column.startswith("vetting_"):
        return (item.get("vetting") or {}).get(column.removeprefix("vetting_"))
    return item.get(column)


def _csv_type(type_name: str, column: str) -> str:
    spec = TYPES[type_name]
    if column in spec.integers:
        return "integer"
    if column in spec.numbers:
        return "number"
    return "string"
