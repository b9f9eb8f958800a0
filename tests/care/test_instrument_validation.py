"""A malformed instrument file is refused with a message that says what is wrong and where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.care.helpers import demo_data
from threadline.care.instruments import DEMO_INSTRUMENT, InstrumentInvalid, load_file, validate


def problems_of(data: object) -> list[str]:
    with pytest.raises(InstrumentInvalid) as caught:
        validate(data)
    return caught.value.problems


def test_the_demo_instrument_is_valid_and_clearly_marked_as_a_demo() -> None:
    data = load_file(DEMO_INSTRUMENT)
    assert data["demo"] is True
    assert "not a validated instrument" in data["title"]["en"]
    assert "no es un instrumento validado" in data["title"]["es"]


def test_every_demo_text_has_english_and_spanish() -> None:
    data = demo_data()
    texts = [data["title"], data["licence"], data["description"]]
    for scale in data["scales"].values():
        texts += [o["label"] for o in scale["options"]]
    for section in data["sections"]:
        texts.append(section["title"])
        texts += [item["text"] for item in section["items"]]
    for band in data["bands"]:
        texts.append(band["label"])
        texts += [a["title"] for a in band.get("actions", []) if "title" in a]
    texts += [rule["reason"] for rule in data["rules"]]
    assert all(t.get("en") and t.get("es") for t in texts)


def test_unknown_key_is_named_with_its_path() -> None:
    data = demo_data()
    data["sections"][1]["items"][2]["colour"] = "blue"
    [problem] = problems_of(data)
    assert problem.startswith("sections[1].items[2]: unknown key 'colour'")
    assert "allowed: help, id, scale, text" in problem


def test_typo_in_an_option_key_is_refused_not_ignored() -> None:
    data = demo_data()
    option = data["scales"]["agree"]["options"][0]
    option["scrore"] = option.pop("score")
    problems = problems_of(data)
    assert "scales.agree.options[0]: missing required field 'score'" in problems
    assert any(p.startswith("scales.agree.options[0]: unknown key 'scrore'") for p in problems)


def test_missing_required_field() -> None:
    data = demo_data()
    del data["bands"][0]["max"]
    assert problems_of(data) == ["bands[0]: missing required field 'max'"]


def test_missing_top_level_field() -> None:
    data = demo_data()
    del data["licence"]
    assert problems_of(data) == ["(top level): missing required field 'licence'"]


def test_scale_that_does_not_exist() -> None:
    data = demo_data()
    data["sections"][0]["items"][1]["scale"] = "agreee"
    assert problems_of(data) == [
        "sections[0].items[1].scale: there is no scale named 'agreee' (scales defined: agree, how_often)"
    ]


def test_overlapping_bands() -> None:
    data = demo_data()
    data["bands"][1]["min"] = 3  # no_concern ends at 3
    [problem] = problems_of(data)
    assert problem.startswith("bands[1] (possible_concern): overlaps bands[0] (no_concern): totals 3–3")


def test_gap_between_bands() -> None:
    data = demo_data()
    data["bands"][2]["min"] = 11  # possible_concern ends at 8
    assert problems_of(data) == [
        "bands[2] (clear_concern): gap after bands[1] (possible_concern): totals 9–10 fall in no band"
    ]


def test_bands_must_reach_the_highest_possible_total() -> None:
    data = demo_data()
    data["bands"][2]["max"] = 14
    [problem] = problems_of(data)
    assert "highest possible total is 16: totals 15–16 fall in no band" in problem


def test_band_with_min_above_max() -> None:
    data = demo_data()
    data["bands"][1]["max"] = 2
    assert problems_of(data) == ["bands[1] (possible_concern): min 4 is greater than max 2"]


def test_unknown_action_kind() -> None:
    data = demo_data()
    data["bands"][1]["actions"][0]["kind"] = "send_email"
    [problem] = problems_of(data)
    assert problem == (
        "bands[1].actions[0].kind: 'send_email' is not allowed here "
        "(choose one of: create_task, schedule_rescreen)"
    )


def test_action_missing_what_its_kind_needs_and_carrying_what_it_does_not() -> None:
    data = demo_data()
    del data["bands"][2]["actions"][0]["due_in_days"]
    data["bands"][2]["actions"][2]["title"] = {"en": "Screen again"}
    assert problems_of(data) == [
        "bands[2].actions[0]: missing required field 'due_in_days' (a task needs a title and due_in_days)",
        "bands[2].actions[2]: 'title' does not belong to a schedule_rescreen action",
    ]


def test_rule_pointing_at_a_missing_item_band_or_answer() -> None:
    data = demo_data()
    data["rules"].append({"when_any": [{"item": "no_such_item", "answers": ["no"]}], "band": "urgent"})
    data["rules"][0]["when_any"][0]["answers"] = ["nope"]
    problems = problems_of(data)
    assert (
        "rules[0].when_any[0].answers: 'nope' is not an answer on scale 'agree' "
        "(answers: no, not_sure, prefer_not, yes)" in problems
    )
    assert any(p.startswith("rules[1].band: there is no band named 'urgent'") for p in problems)
    assert "rules[1].when_any[0].item: there is no item 'no_such_item'" in problems


def test_duplicate_ids() -> None:
    data = demo_data()
    data["sections"][2]["items"][0]["id"] = "worried"
    data["bands"][1]["id"] = "no_concern"
    problems = problems_of(data)
    assert "sections[2].items[0].id: the item id 'worried' is used more than once" in problems
    assert "bands: the band id 'no_concern' is used more than once" in problems


def test_scale_with_no_scored_option() -> None:
    data = demo_data()
    for option in data["scales"]["how_often"]["options"]:
        option["score"] = None
    assert "scales.how_often: no option has a score (at least one must)" in problems_of(data)


def test_several_problems_are_reported_together() -> None:
    data = demo_data()
    data["version"] = "one"
    data["sections"][0]["items"][0]["text"] = {"es": "solo en español"}
    problems = problems_of(data)
    assert len(problems) == 2
    assert any(p.startswith("sections[0].items[0].text: missing required field 'en'") for p in problems)
    assert any(p.startswith("version: 'one' does not match") for p in problems)


def test_not_an_object_at_all() -> None:
    assert problems_of(["a", "list"]) == ["(top level): ['a', 'list'] is not of type 'object'"]


def test_unquoted_yes_in_yaml_gets_a_hint(tmp_path: Path) -> None:
    text = DEMO_INSTRUMENT.read_text().replace('{value: "yes"', "{value: yes", 1)
    path = tmp_path / "tool.yaml"
    path.write_text(text)
    with pytest.raises(InstrumentInvalid) as caught:
        load_file(path)
    assert caught.value.problems == [
        "scales.agree.options[0].value: got a true/false value where text was expected "
        "(quote yes/no values in YAML)"
    ]
    assert str(path) in str(caught.value)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nversion: '1'\nsections: [\n  {id: a\n")
    with pytest.raises(InstrumentInvalid) as caught:
        load_file(path)
    [problem] = caught.value.problems
    assert problem.startswith("line ") and "not valid YAML" in problem


def test_json_file_and_json_syntax_error(tmp_path: Path) -> None:
    good = tmp_path / "tool.json"
    good.write_text(json.dumps(demo_data()))
    assert load_file(good)["id"] == "demo-wellbeing"
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x",\n "version": }')
    with pytest.raises(InstrumentInvalid) as caught:
        load_file(bad)
    assert caught.value.problems[0].startswith("line 2, column 13: not valid JSON")


def test_wrong_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InstrumentInvalid, match=r"expected a \.yaml, \.yml or \.json file"):
        load_file(tmp_path / "tool.txt")
    with pytest.raises(InstrumentInvalid, match="file not found"):
        load_file(tmp_path / "absent.yaml")
