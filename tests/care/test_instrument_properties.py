"""Properties of the scorer over generated instruments and answer sets.

Any valid instrument, any complete answer set: the total lies within the instrument's range, falls
in exactly one band, and the sections add up to it. Any incomplete answer set: every way of finishing
it reaches at least ``band_at_least``, and if a band is stated, every way of finishing it lands there.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.care.instruments import Definition, score, validate

LABEL = {"en": "x"}


@st.composite
def instruments(draw: st.DrawFn) -> dict[str, Any]:
    scales: dict[str, Any] = {}
    for s in range(draw(st.integers(1, 3))):
        scores = draw(st.lists(st.integers(-3, 6), min_size=1, max_size=4))
        options = [{"value": f"v{i}", "label": LABEL, "score": v} for i, v in enumerate(scores)]
        if len(options) < 2 or draw(st.booleans()):
            options.append({"value": "declined", "label": LABEL, "score": None})
        scales[f"scale_{s}"] = {"options": options}
    names = sorted(scales)
    sections = []
    item_scales: dict[str, str] = {}
    for s in range(draw(st.integers(1, 3))):
        items = []
        for _ in range(draw(st.integers(1, 4))):
            item_id = f"item_{len(item_scales)}"
            item_scales[item_id] = draw(st.sampled_from(names))
            items.append({"id": item_id, "text": LABEL, "scale": item_scales[item_id]})
        sections.append({"id": f"section_{s}", "title": LABEL, "items": items})

    def scored(scale: str) -> list[int]:
        return [o["score"] for o in scales[scale]["options"] if o["score"] is not None]

    low = sum(min(scored(s)) for s in item_scales.values())
    high = sum(max(scored(s)) for s in item_scales.values())
    # Cut [low, high] into 1..4 contiguous bands.
    cuts = sorted(draw(st.sets(st.integers(low + 1, high), max_size=3))) if high > low else []
    starts = [low, *cuts]
    ends = [c - 1 for c in cuts] + [high]
    bands = [
        {
            "id": f"band_{i}",
            "label": LABEL,
            "min": a,
            "max": b,
            "actions": [{"kind": "schedule_rescreen", "in_days": 10 + i}],
        }
        for i, (a, b) in enumerate(zip(starts, ends, strict=True))
    ]
    rules = []
    for _ in range(draw(st.integers(0, 2))):
        item_id = draw(st.sampled_from(sorted(item_scales)))
        values = [o["value"] for o in scales[item_scales[item_id]]["options"]]
        answers = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
        band = draw(st.sampled_from(bands))["id"]
        rules.append({"when_any": [{"item": item_id, "answers": answers}], "band": band})
    data = {
        "id": "generated",
        "version": "1",
        "title": LABEL,
        "licence": LABEL,
        "scales": scales,
        "sections": sections,
        "bands": bands,
        "rules": rules,
    }
    return validate(data)  # the generator only builds valid instruments: the validator must agree


def any_answer(definition: Definition, item_id: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(definition.items[item_id].scores))


def scored_answer(definition: Definition, item_id: str) -> st.SearchStrategy[str]:
    scores = definition.items[item_id].scores
    return st.sampled_from(sorted(v for v, s in scores.items() if s is not None))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_complete_answer_set_lands_in_exactly_one_band(data: st.DataObject) -> None:
    definition = Definition.from_data(data.draw(instruments()))
    answers = {i: data.draw(scored_answer(definition, i)) for i in definition.items}
    result = score(definition, answers)

    assert result.complete
    assert definition.total_min <= result.total <= definition.total_max
    assert sum(s.score for s in result.sections) == result.total
    containing = [b for b in definition.bands if b.min <= result.total <= b.max]
    assert len(containing) == 1
    assert result.band is not None and result.band == result.band_at_least
    order = [b.id for b in definition.bands]
    # A rule can only raise the band, never lower it.
    assert order.index(result.band) >= order.index(containing[0].id)
    if not result.rules_fired:
        assert result.band == containing[0].id
    assert {a.band for a in result.actions} <= {result.band}


def reference_band(data: dict[str, Any], answers: dict[str, str], hidden: dict[str, int]) -> int:
    """The band, worked out directly from the file: ``hidden`` holds the true scores behind
    declined answers, which the screener cannot know but a rule cannot see either."""
    scales = {n: {o["value"]: o["score"] for o in s["options"]} for n, s in data["scales"].items()}
    total = 0
    for section in data["sections"]:
        for item in section["items"]:
            points = scales[item["scale"]][answers[item["id"]]]
            total += hidden[item["id"]] if points is None else points
    index = next(i for i, b in enumerate(data["bands"]) if b["min"] <= total <= b["max"])
    band_ids = [b["id"] for b in data["bands"]]
    for rule in data["rules"]:
        if any(answers[c["item"]] in c["answers"] for c in rule["when_any"]):
            index = max(index, band_ids.index(rule["band"]))
    return index


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_an_incomplete_answer_set_never_overstates_what_is_known(data: st.DataObject) -> None:
    raw = data.draw(instruments())
    definition = Definition.from_data(raw)
    answers = {
        i: v
        for i in definition.items
        if (v := data.draw(st.one_of(st.none(), any_answer(definition, i)))) is not None
    }
    partial = score(definition, answers)
    assert definition.total_min <= partial.possible_low <= partial.possible_high <= definition.total_max
    order = [b.id for b in definition.bands]

    # One way the screening could be finished: skipped items get any answer (declining included),
    # and every declined answer hides some true score.
    finished = dict(answers)
    for item_id in partial.skipped:
        finished[item_id] = data.draw(any_answer(definition, item_id))
    hidden = {
        i: data.draw(st.sampled_from(sorted(s for s in definition.items[i].scores.values() if s is not None)))
        for i in definition.items
    }
    truth = reference_band(raw, finished, hidden)

    assert truth >= order.index(partial.band_at_least)
    if partial.band is not None:
        assert order[truth] == partial.band
    if partial.complete:
        assert partial.band is not None
