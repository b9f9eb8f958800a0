"""Score a set of answers: per-section and total scores, the result band, the actions it triggers.

Missing answers are never scored as zero: a skipped question would otherwise look like "no concern".
An item is *unknown* when it was skipped or answered with an unscored option ("prefer not to say").
With unknown items the result is ``complete=False`` and we work out the lowest and highest band the
answers could still reach once completed:

- ``band_at_least`` is the lowest band any completion reaches (what the answers given already show);
- ``band`` is the band only if every completion lands in the same one, else ``None`` ("incomplete");
- triggered actions come from ``band``, or from ``band_at_least`` while incomplete, so a clear
  concern already shown is acted on even if the screening stopped half-way.

Bands are listed from least to most concern. A rule ("if any of these items is answered X") raises
the result to at least its band, whatever the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class AnswerError(ValueError):
    """Answers that do not fit the instrument (an unknown item, an answer not on its scale)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def text(value: Mapping[str, str] | None, language: str = "en") -> str:
    """Instrument text in the reader's language, English when that translation is absent."""
    if not value:
        return ""
    return value.get(language) or value.get("en", "")


@dataclass(frozen=True)
class Item:
    id: str
    section_id: str
    scale: str
    scores: dict[str, int | None]  # answer value -> score (None: recorded, not scored)

    @property
    def min(self) -> int:
        return min(s for s in self.scores.values() if s is not None)

    @property
    def max(self) -> int:
        return max(s for s in self.scores.values() if s is not None)


@dataclass(frozen=True)
class Band:
    id: str
    min: int
    max: int
    label: dict[str, str]
    actions: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Rule:
    conditions: tuple[tuple[str, frozenset[str]], ...]
    band_index: int
    reason: dict[str, str]

    def fires(self, answers: Mapping[str, str]) -> bool:
        return any(answers.get(item) in values for item, values in self.conditions)

    def could_fire(self, answers: Mapping[str, str]) -> bool:
        return self.fires(answers) or any(item not in answers for item, _values in self.conditions)


@dataclass(frozen=True)
class Definition:
    """A validated instrument, indexed for scoring. Build with ``Definition.from_data``."""

    id: str
    version: str
    data: dict[str, Any]
    sections: tuple[tuple[str, tuple[Item, ...]], ...]
    items: dict[str, Item]
    bands: tuple[Band, ...]
    rules: tuple[Rule, ...]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Definition:
        scales = {
            name: {o["value"]: o["score"] for o in scale["options"]} for name, scale in data["scales"].items()
        }
        sections = []
        items: dict[str, Item] = {}
        for section in data["sections"]:
            section_items = []
            for raw in section["items"]:
                item = Item(raw["id"], section["id"], raw["scale"], scales[raw["scale"]])
                section_items.append(item)
                items[item.id] = item
            sections.append((section["id"], tuple(section_items)))
        bands = tuple(
            Band(b["id"], b["min"], b["max"], b["label"], tuple(b.get("actions", []))) for b in data["bands"]
        )
        index = {band.id: i for i, band in enumerate(bands)}
        rules = tuple(
            Rule(
                tuple((c["item"], frozenset(c["answers"])) for c in r["when_any"]),
                index[r["band"]],
                r.get("reason", {}),
            )
            for r in data.get("rules", [])
        )
        return cls(data["id"], data["version"], data, tuple(sections), items, bands, rules)

    @property
    def total_min(self) -> int:
        return sum(item.min for item in self.items.values())

    @property
    def total_max(self) -> int:
        return sum(item.max for item in self.items.values())

    def band_index_for_total(self, total: int) -> int:
        for i, band in enumerate(self.bands):
            if band.min <= total <= band.max:
                return i
        # The validator guarantees the bands cover every possible total.
        raise ValueError(f"total {total} is in no band")


@dataclass(frozen=True)
class SectionScore:
    section_id: str
    score: int  # sum of the scored answers in this section
    min: int
    max: int
    unknown: tuple[str, ...]


@dataclass(frozen=True)
class TriggeredAction:
    kind: str
    band: str
    title: dict[str, str] = field(default_factory=dict)
    due_in_days: int | None = None
    in_days: int | None = None


@dataclass(frozen=True)
class ScreeningScore:
    instrument: str
    version: str
    total: int  # sum of the scored answers
    total_min: int  # the instrument's lowest and highest possible totals
    total_max: int
    possible_low: int  # the range the total could still reach once unknown items are answered
    possible_high: int
    sections: tuple[SectionScore, ...]
    skipped: tuple[str, ...]
    declined: tuple[str, ...]  # answered with an unscored option
    band: str | None
    band_at_least: str
    rules_fired: tuple[int, ...]
    actions: tuple[TriggeredAction, ...]

    @property
    def complete(self) -> bool:
        return not self.skipped and not self.declined


def clean_answers(definition: Definition, answers: Mapping[str, Any]) -> dict[str, str]:
    """Drop blanks (a skipped question), refuse anything the instrument does not know."""
    problems: list[str] = []
    cleaned: dict[str, str] = {}
    for item_id, value in answers.items():
        if value is None or value == "":
            continue
        item = definition.items.get(item_id)
        if item is None:
            problems.append(f"'{item_id}' is not an item of {definition.id} {definition.version}")
        elif not isinstance(value, str) or value not in item.scores:
            problems.append(
                f"{item_id}: {value!r} is not an answer on its scale (answers: {', '.join(item.scores)})"
            )
        else:
            cleaned[item_id] = value
    if problems:
        raise AnswerError(problems)
    return cleaned


def score(definition: Definition, answers: Mapping[str, Any]) -> ScreeningScore:
    given = clean_answers(definition, answers)
    sections: list[SectionScore] = []
    total = low = high = 0
    skipped: list[str] = []
    declined: list[str] = []
    for section_id, items in definition.sections:
        section_total = 0
        unknown: list[str] = []
        for item in items:
            value = given.get(item.id)
            points = item.scores.get(value) if value is not None else None
            if points is None:
                (skipped if value is None else declined).append(item.id)
                unknown.append(item.id)
                low += item.min
                high += item.max
            else:
                section_total += points
                low += points
                high += points
        total += section_total
        sections.append(
            SectionScore(
                section_id,
                section_total,
                sum(i.min for i in items),
                sum(i.max for i in items),
                tuple(unknown),
            )
        )

    fired = tuple(i for i, rule in enumerate(definition.rules) if rule.fires(given))
    rule_floor = max((definition.rules[i].band_index for i in fired), default=0)
    rule_ceiling = max((r.band_index for r in definition.rules if r.could_fire(given)), default=0)
    floor = max(definition.band_index_for_total(low), rule_floor)
    ceiling = max(definition.band_index_for_total(high), rule_ceiling)
    band_index = floor if floor == ceiling else None
    acting = definition.bands[floor if band_index is None else band_index]
    actions = tuple(
        TriggeredAction(
            kind=a["kind"],
            band=acting.id,
            title=dict(a.get("title", {})),
            due_in_days=a.get("due_in_days"),
            in_days=a.get("in_days"),
        )
        for a in acting.actions
    )
    return ScreeningScore(
        instrument=definition.id,
        version=definition.version,
        total=total,
        total_min=definition.total_min,
        total_max=definition.total_max,
        possible_low=low,
        possible_high=high,
        sections=tuple(sections),
        skipped=tuple(skipped),
        declined=tuple(declined),
        band=None if band_index is None else definition.bands[band_index].id,
        band_at_least=definition.bands[floor].id,
        rules_fired=fired,
        actions=actions,
    )
