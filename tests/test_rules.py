"""Rule files: the vocabulary, the schema built from it, and clear errors for broken rules."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from planner.build import shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.errors import DataError
from planner.rules import load_rulebook
from planner.vocabulary import ACTIONS, FACTS, OPERATORS, rules_schema


def test_shipped_rules_load():
    book = shipped_rulebook()
    assert len(book.rules) >= 30
    assert [p.id for p in book.phases] == ["settle", "build", "strengthen"]


def test_schema_is_built_from_the_vocabulary():
    schema = rules_schema()
    Draft202012Validator.check_schema(schema)  # a valid JSON Schema (validator() no longer checks)
    leaf = schema["$defs"]["condition"]["oneOf"][0]["oneOf"]
    assert {next(k for k in v["required"] if k != "fact") for v in leaf} == set(OPERATORS)
    assert set(leaf[0]["properties"]["fact"]["enum"]) == set(FACTS)
    actions = schema["properties"]["rules"]["items"]["properties"]["then"]["items"]["oneOf"]
    assert {v["required"][0] for v in actions} == set(ACTIONS)


def _load(folder):
    return load_rulebook(shipped_catalogue(), folder)


def _edit_rule(folder, file, rule_id, change):
    path = folder / file
    data = json.loads(path.read_text())
    rule = next(r for r in data["rules"] if r["id"] == rule_id)
    change(rule)
    path.write_text(json.dumps(data))


def test_unknown_exercise_and_phase_name_the_rule(rules_copy):
    _edit_rule(rules_copy, "30_choice.json", "slouching",
               lambda r: r["then"].__setitem__(0, {"include": {"exercises": ["chest_strech"], "from_phase": "later"}}))
    with pytest.raises(DataError) as info:
        _load(rules_copy)
    assert str(info.value).replace(str(rules_copy), "R").splitlines() == [
        'R/30_choice.json: at rule slouching: then: include.exercises: "chest_strech" is not in the catalogue',
        'R/30_choice.json: at rule slouching: then: include.from_phase: "later" is not a phase; phases: build, '
        "settle, strengthen",
    ]


def test_value_outside_a_facts_range(rules_copy):
    _edit_rule(rules_copy, "10_triage.json", "refer_severe_pain", lambda r: r.update(when={"fact": "pain.level",
                                                                                             "at_least": 11}))
    with pytest.raises(DataError, match=r"10_triage\.json: at rule refer_severe_pain: when: pain\.level runs from 0 "
                                        r"to 10; got 11$"):
        _load(rules_copy)


def test_operator_that_does_not_fit_the_fact(rules_copy):
    _edit_rule(rules_copy, "30_choice.json", "long_sitting",
               lambda r: r.update(when={"fact": "equipment", "at_least": 6}))
    with pytest.raises(DataError, match='operator "at_least" does not apply to equipment; use one of includes, '
                                        "excludes"):
        _load(rules_copy)


def test_unknown_action_and_operator_are_schema_errors_with_the_rule_id(rules_copy):
    _edit_rule(rules_copy, "30_choice.json", "long_sitting", lambda r: r["then"].append({"add_exercise": ["x"]}))
    _edit_rule(rules_copy, "30_choice.json", "slouching", lambda r: r.update(when={"fact": "posture.slouching",
                                                                                     "in": ["often"]}))
    with pytest.raises(DataError) as info:
        _load(rules_copy)
    text = str(info.value)
    assert "30_choice.json: at rule long_sitting: then[2].add_exercise: unknown field" in text
    assert '30_choice.json: at rule slouching: when.in: unknown operator "in"; operators: is, is_not,' in text


def test_duplicate_rule_id(rules_copy):
    _edit_rule(rules_copy, "60_advice.json", "footwear", lambda r: r.update(id="slouching"))
    with pytest.raises(DataError, match=r"at rule slouching: the id is used twice"):
        _load(rules_copy)


def test_malformed_rule_file(rules_copy):
    (rules_copy / "70_extra.json").write_text('{"rules": [')
    with pytest.raises(DataError, match=r"70_extra\.json: not valid JSON"):
        _load(rules_copy)


def test_missing_settings(rules_copy):
    (rules_copy / "settings.json").unlink()
    with pytest.raises(DataError, match=r"settings\.json: missing: phases and timing live here"):
        _load(rules_copy)
