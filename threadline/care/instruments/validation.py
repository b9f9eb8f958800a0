"""Read and check an instrument file. Every problem is reported with where it is, in one pass.

Paths look like ``sections[1].items[0].scale`` so the person fixing the file finds the line at once.
Structure comes from JSON Schema (``schema.INSTRUMENT``); meaning (references, band coverage,
unique ids, which fields an action kind needs) is checked here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from threadline.care.instruments.schema import INSTRUMENT


class InstrumentInvalid(ValueError):
    """The file is not a usable instrument. ``problems`` lists each one with its path."""

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{head}{count} {noun} in instrument:\n" + "\n".join(f"  - {p}" for p in problems))


def path_of(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_VALIDATOR = Draft202012Validator(INSTRUMENT)


def _describe(error: SchemaError) -> str:
    where = path_of(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        if allowed:
            names = ", ".join(repr(k) for k in extra)
            return f"{where}: unknown key {names} (allowed: {', '.join(allowed)})"
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{where}: missing required field '{missing}'"
    if error.validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return f"{where}: {error.instance!r} is not allowed here (choose one of: {choices})"
    if error.validator == "type" and isinstance(error.instance, bool):
        # YAML 1.1 reads unquoted yes/no/on/off as booleans: the commonest instrument-file mistake.
        return f"{where}: got a true/false value where text was expected (quote yes/no values in YAML)"
    return f"{where}: {error.message}"


def structure_problems(data: Any) -> list[str]:
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [_describe(e) for e in errors]


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for value in values:
        if value in seen and value not in dupes:
            dupes.append(value)
        seen.add(value)
    return dupes


def _scored(options: list[dict[str, Any]]) -> list[int]:
    return [o["score"] for o in options if o["score"] is not None]


def meaning_problems(data: dict[str, Any]) -> list[str]:
    """Cross-reference checks. Assumes the structure already passed."""
    problems: list[str] = []
    scales: dict[str, dict[str, Any]] = data["scales"]

    for name, scale in scales.items():
        values = [o["value"] for o in scale["options"]]
        for dup in _duplicates(values):
            problems.append(f"scales.{name}.options: the value '{dup}' is used more than once")
        if not _scored(scale["options"]):
            problems.append(f"scales.{name}: no option has a score (at least one must)")

    total_min = total_max = 0
    scales_resolved = True
    item_scale: dict[str, str] = {}
    for s, section in enumerate(data["sections"]):
        for i, item in enumerate(section["items"]):
            where = f"sections[{s}].items[{i}]"
            if item["id"] in item_scale:
                problems.append(f"{where}.id: the item id '{item['id']}' is used more than once")
            if item["scale"] not in scales:
                known = ", ".join(sorted(scales)) or "none"
                scales_resolved = False
                problems.append(
                    f"{where}.scale: there is no scale named '{item['scale']}' (scales defined: {known})"
                )
            else:
                scores = _scored(scales[item["scale"]]["options"])
                if scores:
                    total_min += min(scores)
                    total_max += max(scores)
            item_scale.setdefault(item["id"], item["scale"])
    for dup in _duplicates(section["id"] for section in data["sections"]):
        problems.append(f"sections: the section id '{dup}' is used more than once")

    bands: list[dict[str, Any]] = data["bands"]
    band_ids = [b["id"] for b in bands]
    for dup in _duplicates(band_ids):
        problems.append(f"bands: the band id '{dup}' is used more than once")
    if scales_resolved:  # otherwise the possible totals are unknown and coverage errors would mislead
        problems.extend(_band_coverage(bands, total_min, total_max))
    for b, band in enumerate(bands):
        for a, action in enumerate(band.get("actions", [])):
            problems.extend(_action_problems(action, f"bands[{b}].actions[{a}]"))

    for r, rule in enumerate(data.get("rules", [])):
        if rule["band"] not in band_ids:
            problems.append(
                f"rules[{r}].band: there is no band named '{rule['band']}' (bands: {', '.join(band_ids)})"
            )
        for c, cond in enumerate(rule["when_any"]):
            where = f"rules[{r}].when_any[{c}]"
            scale_name = item_scale.get(cond["item"])
            if scale_name is None:
                problems.append(f"{where}.item: there is no item '{cond['item']}'")
                continue
            if scale_name not in scales:
                continue  # already reported on the item
            answer_values = {o["value"] for o in scales[scale_name]["options"]}
            for answer in cond["answers"]:
                if answer not in answer_values:
                    problems.append(
                        f"{where}.answers: '{answer}' is not an answer on scale '{scale_name}' "
                        f"(answers: {', '.join(sorted(answer_values))})"
                    )
    return problems


def _band_coverage(bands: list[dict[str, Any]], total_min: int, total_max: int) -> list[str]:
    """Bands are listed from least to most concern and must tile the possible totals exactly:
    every total falls in one band and only one."""
    problems: list[str] = []
    for b, band in enumerate(bands):
        if band["min"] > band["max"]:
            problems.append(f"bands[{b}] ({band['id']}): min {band['min']} is greater than max {band['max']}")
    if problems:
        return problems
    for b in range(1, len(bands)):
        prev, cur = bands[b - 1], bands[b]
        if cur["min"] <= prev["max"]:
            problems.append(
                f"bands[{b}] ({cur['id']}): overlaps bands[{b - 1}] ({prev['id']}): totals "
                f"{cur['min']}–{min(prev['max'], cur['max'])} would fall in both "
                "(bands go from least to most concern, each starting after the one before ends)"
            )
        elif cur["min"] > prev["max"] + 1:
            problems.append(
                f"bands[{b}] ({cur['id']}): gap after bands[{b - 1}] ({prev['id']}): totals "
                f"{prev['max'] + 1}–{cur['min'] - 1} fall in no band"
            )
    if bands[0]["min"] > total_min:
        problems.append(
            f"bands[0] ({bands[0]['id']}): starts at {bands[0]['min']} but the lowest possible total is "
            f"{total_min}: totals {total_min}–{bands[0]['min'] - 1} fall in no band"
        )
    last = bands[-1]
    if last["max"] < total_max:
        problems.append(
            f"bands[{len(bands) - 1}] ({last['id']}): ends at {last['max']} but the highest possible "
            f"total is {total_max}: totals {last['max'] + 1}–{total_max} fall in no band"
        )
    return problems


_ACTION_FIELDS = {
    "create_task": ({"title", "due_in_days"}, "a task needs a title and due_in_days"),
    "schedule_rescreen": ({"in_days"}, "a re-screen needs in_days"),
}


def _action_problems(action: dict[str, Any], where: str) -> list[str]:
    needed, hint = _ACTION_FIELDS[action["kind"]]
    given = set(action) - {"kind"}
    problems = [f"{where}: missing required field '{f}' ({hint})" for f in sorted(needed - given)]
    problems += [
        f"{where}: '{f}' does not belong to a {action['kind']} action" for f in sorted(given - needed)
    ]
    return problems


def validate(data: Any, *, source: str = "") -> dict[str, Any]:
    """Return the definition unchanged if it is a valid instrument, else raise ``InstrumentInvalid``."""
    problems = structure_problems(data)
    if not problems:
        problems = meaning_problems(data)
    if problems:
        raise InstrumentInvalid(problems, source)
    return dict(data)


def parse_text(text: str, *, suffix: str, source: str = "") -> Any:
    """Parse YAML or JSON text. A syntax error becomes an ``InstrumentInvalid`` with its line."""
    try:
        if suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise InstrumentInvalid(
            [f"line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"], source
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise InstrumentInvalid([f"{where}not valid YAML: {what}"], source) from exc


def load_file(path: str | Path) -> dict[str, Any]:
    """Read, parse and validate an instrument file (``.yaml``, ``.yml`` or ``.json``)."""
    file = Path(path)
    if file.suffix.lower() not in {".yaml", ".yml", ".json"}:
        raise InstrumentInvalid(
            [f"expected a .yaml, .yml or .json file, got '{file.suffix or 'no extension'}'"], str(file)
        )
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InstrumentInvalid(["file not found"], str(file)) from exc
    except UnicodeDecodeError as exc:
        raise InstrumentInvalid(["the file is not UTF-8 text"], str(file)) from exc
    return validate(parse_text(text, suffix=file.suffix, source=str(file)), source=str(file))
