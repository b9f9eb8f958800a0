"""``hsds_import``: HSDS JSON (single objects, lists, Page wrappers, nested "full" objects, the
tabular form) or a CSV data package, into the directory.

- Idempotent by id: an object already stored is updated with the fields given, never duplicated.
- All or nothing: every record is checked first; any error and nothing is written. Errors name the
  file and line ("services.csv line 4", "service_full.json line 12") and what is wrong.
- Nested objects are split into their own rows; the parent link implied by the nesting is filled in
  only where the object does not say otherwise.
- New organizations arrive as applications (private, not vetted) unless the data carries the
  project profile (``visibility``, ``vetting``), as Threadline's own exports do.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from threadline.directory import models as m
from threadline.directory.hsds import schemas
from threadline.directory.hsds.spec import (
    BY_CSV,
    NESTED,
    PROFILE_COLUMNS,
    TYPES,
    Child,
    TypeSpec,
    type_for_filename,
)
from threadline.directory.models import VettingStatus, Visibility

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
PROFILE_KEYS = {"organization": {"visibility", "vetting"}, "location": {"confidential"}}


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s); nothing was imported")
        self.errors = errors


@dataclass
class Pending:
    type: str
    data: dict[str, Any]
    where: str
    profile: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


class Collector:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], Pending] = {}
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def add(self, type_name: str, raw: Any, where: str, implied: dict[str, str] | None = None) -> str | None:
        if not isinstance(raw, dict):
            self.error(where, f"a {type_name} must be an object, got {type(raw).__name__}")
            return None
        spec = TYPES[type_name]
        children = {c.key: c for c in NESTED.get(type_name, ())}
        data: dict[str, Any] = {}
        nested: list[tuple[Child, Any]] = []
        profile: dict[str, Any] = {}
        for key, value in raw.items():
            if key in children:
                nested.append((children[key], value))
            elif key in PROFILE_KEYS.get(type_name, ()):
                profile[key] = value
            elif (key == "id" or key in spec.fields) and value is not None and value != "":
                data[key] = value
        hsds_id = data.get("id")
        label = f"{type_name} {hsds_id}" if hsds_id else type_name
        if not isinstance(hsds_id, str) or not UUID.match(hsds_id):
            self.error(where, f"{label}: id must be a UUID string")
            return None
        for link, value in (implied or {}).items():
            data.setdefault(link, value)
        key = (type_name, hsds_id)
        if key in self.records:
            self.records[key].data.update(data)
            self.records[key].profile.update(profile)
        else:
            self.records[key] = Pending(type_name, data, where, profile)
        for child, value in nested:
            if child.many:
                if not isinstance(value, list):
                    self.error(where, f"{label}: {child.key} must be a list")
                    continue
                links = {child.link: hsds_id}
                if child.type == "attribute":
                    links["link_entity"] = type_name
                if child.type == "metadata":
                    links["resource_type"] = type_name
                for item in value:
                    self.add(child.type, item, where_for(item, where), links)
            elif value is not None:
                child_id = self.add(child.type, value, where_for(value, where))
                if child_id:
                    self.records[key].data.setdefault(child.parent_field, child_id)
        return hsds_id

    def check(self) -> None:
        available = schemas.available()
        for pending in self.records.values():
            spec = TYPES[pending.type]
            label = f"{pending.type} {pending.data['id']}"
            problems = coerce(spec, pending.data)
            for name in spec.required:
                if name not in pending.data:
                    problems.append(f"{name} is required")
            for name, allowed in spec.enums.items():
                if name in pending.data and pending.data[name] not in allowed:
                    problems.append(f"{name} must be one of {', '.join(allowed)}")
            problems.extend(check_profile(pending))
            if available and not problems:
                problems.extend(schemas.errors(pending.type, pending.data, flat=True))
            for problem in problems:
                self.error(pending.where, f"{label}: {problem}")


# --- where: file and line ------------------------------------------------------------------------

_LINES: dict[str, int] = {}


def where_for(item: Any, fallback: str) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"] in _LINES:
        base = fallback.split(" line ")[0]
        return f"{base} line {_LINES[item['id']]}"
    return fallback


def _index_lines(path: Path, text: str) -> None:
    _LINES.clear()
    for number, line in enumerate(text.splitlines(), start=1):
        for found in re.findall(r'"id"\s*:\s*"([^"]+)"', line):
            _LINES.setdefault(found, number)


# --- values --------------------------------------------------------------------------------------


def coerce(spec: TypeSpec, data: dict[str, Any]) -> list[str]:
    """CSV cells arrive as text; JSON numbers may arrive where text is wanted. Make each field the
    type HSDS says, or say why it cannot be."""
    problems = []
    for name, value in list(data.items()):
        if name in spec.integers or name in spec.numbers:
            number = _to_number(value)
            if number is None:
                problems.append(f"{name}: {value!r} is not a number")
                continue
            if name in spec.integers and not float(number).is_integer():
                problems.append(f"{name}: {value!r} is not a whole number")
                continue
            data[name] = int(number) if name in spec.integers else number
        elif name != "id" and not isinstance(value, str):
            if isinstance(value, (bool, dict, list)):
                problems.append(f"{name}: expected text")
            else:
                data[name] = str(value)
    if "last_modified" in data and parse_datetime(str(data["last_modified"])) is None:
        problems.append(f"last_modified: {data['last_modified']!r} is not a date-time")
    return problems


def _to_number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        text = str(value).strip()
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    except ValueError:
        return None


def check_profile(pending: Pending) -> list[str]:
    problems = []
    profile = pending.profile
    if "visibility" in profile and profile["visibility"] not in Visibility.values:
        problems.append(f"visibility must be one of {', '.join(Visibility.values)}")
    vetting = profile.get("vetting")
    if vetting is not None:
        if not isinstance(vetting, dict):
            problems.append("vetting must be an object")
        elif vetting.get("status") not in VettingStatus.values:
            problems.append(f"vetting.status must be one of {', '.join(VettingStatus.values)}")
    if "confidential" in profile and not isinstance(profile["confidential"], bool):
        problems.append("confidential must be true or false")
    return problems


# --- reading files -------------------------------------------------------------------------------


def read_json(path: Path, collector: Collector) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        collector.error(f"{path.name} line {exc.lineno}", f"not valid JSON: {exc.msg}")
        return
    _index_lines(path, text)
    where = f"{path.name} line 1"
    if isinstance(body, dict) and any(k.endswith(".csv") for k in body):
        for csv_name, rows in body.items():
            spec = BY_CSV.get(csv_name)
            if spec is None or not isinstance(rows, list):
                continue
            for row in rows:
                collector.add(spec.name, row, where_for(row, where))
        return
    spec = type_for_filename(path.stem)
    items: list[Any]
    if isinstance(body, dict) and "contents" in body:
        items = body["contents"] if isinstance(body["contents"], list) else []
    elif isinstance(body, list):
        items = body
    elif isinstance(body, dict) and "id" in body:
        items = [body]
    else:
        return  # API meta information (version, profile): nothing to store
    if spec is None:
        collector.error(where, "cannot tell which HSDS object this file holds: name it after the type")
        return
    for item in items:
        collector.add(spec.name, item, where_for(item, where))


def read_csv_package(folder: Path, collector: Collector) -> None:
    files: list[tuple[Path, TypeSpec]] = []
    manifest = folder / "datapackage.json"
    resources: list[Any] = []
    if manifest.is_file():
        try:
            resources = json.loads(manifest.read_text()).get("resources", [])
        except (json.JSONDecodeError, AttributeError):
            resources = []  # not a manifest (the official example ships a link); read the files
    root = folder.resolve()
    for resource in resources:
        relative = str(resource.get("path", "")) if isinstance(resource, dict) else ""
        spec = BY_CSV.get(Path(relative).name) or TYPES.get(
            str(resource.get("name")) if isinstance(resource, dict) else ""
        )
        if spec is None:
            continue
        target = (folder / relative).resolve()
        # A manifest names files inside its own folder: never "../", an absolute path or a link out.
        if Path(relative).is_absolute() or not target.is_relative_to(root):
            collector.error(f"{manifest.name}", f"resource path {relative!r} is outside the package folder")
            continue
        if target.is_file():
            files.append((target, spec))
    if not files:
        files = [(folder / name, spec) for name, spec in BY_CSV.items() if (folder / name).is_file()]
    for path, spec in files:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            extra = PROFILE_COLUMNS.get(spec.name, ())
            unknown = [
                c for c in reader.fieldnames or [] if c != "id" and c not in spec.fields and c not in extra
            ]
            if unknown:
                collector.error(f"{path.name} line 1", f"unknown column(s) {', '.join(unknown)}")
            line = reader.line_num + 1
            for row in reader:
                clean = _profile_from_columns(
                    spec.name, {k: v for k, v in row.items() if k and v not in (None, "")}
                )
                collector.add(spec.name, clean, f"{path.name} line {line}")
                line = reader.line_num + 1


def _profile_from_columns(type_name: str, row: dict[str, Any]) -> dict[str, Any]:
    """CSV profile columns back into the JSON profile shape."""
    if type_name == "organization" and "vetting_status" in row:
        vetting = {"status": row.pop("vetting_status")}
        if "vetting_next_audit_date" in row:
            vetting["next_audit_date"] = row.pop("vetting_next_audit_date")
        row["vetting"] = vetting
    if type_name == "location" and "confidential" in row:
        text = str(row["confidential"]).strip().lower()
        row["confidential"] = True if text == "true" else False if text == "false" else text
    return row


def collect(path: Path) -> Collector:
    collector = Collector()
    if path.is_file():
        if path.suffix == ".csv" or path.name == "datapackage.json":
            read_csv_package(path.parent, collector)
        else:
            read_json(path, collector)
    elif path.is_dir():
        if (path / "json").is_dir():
            path = path / "json"
        elif (path / "csv").is_dir():
            path = path / "csv"
        if any(path.glob("*.csv")):
            read_csv_package(path, collector)
        for file in sorted(path.glob("*.json")):
            if file.name != "datapackage.json":
                read_json(file, collector)
    else:
        collector.error(str(path), "no such file or folder")
    collector.check()
    return collector


# --- writing -------------------------------------------------------------------------------------


def _model_values(pending: Pending) -> dict[str, Any]:
    values = {k: v for k, v in pending.data.items() if k != "id"}
    if "last_modified" in values:
        values["last_modified"] = parse_datetime(str(values["last_modified"]))
    return values


def _profile_values(pending: Pending) -> dict[str, Any]:
    values: dict[str, Any] = {}
    profile = pending.profile
    if "visibility" in profile:
        values["visibility"] = profile["visibility"]
    if "confidential" in profile:
        values["confidential"] = profile["confidential"]
    vetting = profile.get("vetting")
    if isinstance(vetting, dict):
        values["vetting_status"] = vetting["status"]
        for key, model_field, kind in (
            ("approved_date", "approved_at", "datetime"),
            ("next_audit_date", "next_audit_date", "date"),
            ("last_confirmed_date", "last_confirmed_at", "datetime"),
            ("applied_date", "applied_at", "datetime"),
            ("review_started_date", "review_started_at", "datetime"),
            ("onsite_check_date", "onsite_checked_on", "date"),
            ("hidden_date", "hidden_at", "datetime"),
        ):
            if key in vetting:
                values[model_field] = _parse(vetting[key], kind)
        for key, model_field in (("onsite_notes", "onsite_notes"), ("evidence", "evidence")):
            if key in vetting:
                values[model_field] = str(vetting[key])
        if "accepts_referrals" in vetting:
            values["accepts_referrals"] = bool(vetting["accepts_referrals"])
    return values


def _parse(value: Any, kind: str) -> date | datetime | None:
    text = str(value or "")
    return parse_datetime(text) if kind == "datetime" else parse_date(text[:10])


def write(collector: Collector) -> Result:
    result = Result()
    with transaction.atomic():
        for pending in collector.records.values():
            spec = TYPES[pending.type]
            if spec.model is None:
                data = dict(pending.data)
                links = {
                    k: str(data.get(k, ""))
                    for k in ("service_id", "organization_id", "location_id", "resource_id")
                }
                existing = m.HsdsRecord.objects.filter(object_type=spec.name, hsds_id=data["id"]).first()
                if existing is None:
                    m.HsdsRecord.objects.create(object_type=spec.name, hsds_id=data["id"], data=data, **links)
                    result.created[spec.name] = result.created.get(spec.name, 0) + 1
                else:
                    existing.data = {**existing.data, **data}
                    for k, v in links.items():
                        if v:
                            setattr(existing, k, v)
                    existing.save()
                    result.updated[spec.name] = result.updated.get(spec.name, 0) + 1
                continue
            values = {**_model_values(pending), **_profile_values(pending)}
            obj = spec.model._default_manager.filter(pk=pending.data["id"]).first()
            if obj is None:
                if spec.name == "organization" and "applied_at" not in values:
                    values["applied_at"] = timezone.now()
                spec.model._default_manager.create(pk=pending.data["id"], **values)
                result.created[spec.name] = result.created.get(spec.name, 0) + 1
            else:
                for key, value in values.items():
                    setattr(obj, key, value)
                obj.save()
                result.updated[spec.name] = result.updated.get(spec.name, 0) + 1
        from threadline.directory.search_index import reindex_all

        reindex_all()
    return result


def import_path(path: Path) -> Result:
    collector = collect(path)
    if collector.errors:
        raise ImportFailed(collector.errors)
    return write(collector)
