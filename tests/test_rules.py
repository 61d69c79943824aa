"""Rule files: the vocabulary, the schema built from it, and clear errors for broken rules."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from planner.build import shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.errors import DataError
from planner.rules import load_rulebook
from planner.vocabulary import ACTIONS, FACTS, FACTS_DOCUMENTED, OPERATORS, rules_schema


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
    assert FACTS_DOCUMENTED in leaf[0]["properties"]["fact"]["description"]  # where a rule writer finds them
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
        'R/30_choice.json: at rule slouching: then: include.exercises: "chest_strech" is not in the catalogue '
        '(did you mean "chest_stretch"?)',
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


def test_an_unknown_fact_is_named_with_a_near_spelling_and_where_facts_are_listed(rules_copy):
    """The schema's oneOf said "when.fact: unknown field; allowed here: all" (and "when.all: unknown field;
    allowed here: any" one level down), naming neither the fact nor what was meant."""
    _edit_rule(rules_copy, "30_choice.json", "long_sitting",
               lambda r: r.update(when={"fact": "posture.sitting_hour", "at_least": 8}))
    _edit_rule(rules_copy, "30_choice.json", "slouching",
               lambda r: r.update(when={"all": [{"fact": "age", "at_least": 18},
                                                {"fact": "posture.sitting_hour", "at_least": 8}]}))
    with pytest.raises(DataError) as info:
        _load(rules_copy)
    lines = str(info.value).replace(str(rules_copy), "R").splitlines()
    listed = ("; plan-gen schema rules lists every fact; plan-gen schema answers says what each answers field "
              "means; the check-in facts (checkin.*) are in docs/checkin.md")
    assert lines == [
        'R/30_choice.json: at rule long_sitting: when.fact: unknown fact "posture.sitting_hour" (did you mean '
        '"posture.sitting_hours"?)' + listed,
        'R/30_choice.json: at rule slouching: when.all[1].fact: unknown fact "posture.sitting_hour" (did you mean '
        '"posture.sitting_hours"?)' + listed,
    ]
    assert "unknown field" not in str(info.value)


def test_shape_and_value_problems_come_in_one_run(rules_copy):
    """A misspelt fact or operator used to hide every value problem of its file until it was mended: an
    unknown exercise, a repeated rule id and a misspelt choice each took another round."""
    _edit_rule(rules_copy, "30_choice.json", "long_sitting",
               lambda r: r.update(when={"fact": "posture.sitting_hour", "at_least": 8}))
    _edit_rule(rules_copy, "30_choice.json", "slouching",
               lambda r: r.update(when={"fact": "posture.slouching", "oftem": "often"}))
    _edit_rule(rules_copy, "30_choice.json", "general_stretch",
               lambda r: r["then"].__setitem__(0, {"include": {"exercises": ["bridgee"]}}))
    _edit_rule(rules_copy, "30_choice.json", "keep_moving", lambda r: r.update(id="general_build"))
    _edit_rule(rules_copy, "60_advice.json", "footwear",
               lambda r: r.update(when={"fact": "posture.lifting", "is": "oftem"}))
    with pytest.raises(DataError) as info:
        _load(rules_copy)
    text = str(info.value)
    assert 'at rule long_sitting: when.fact: unknown fact "posture.sitting_hour"' in text
    assert 'at rule slouching: when.oftem: unknown operator "oftem"' in text
    assert 'at rule general_stretch: then: include.exercises: "bridgee" is not in the catalogue (did you mean ' \
           '"bridge"?)' in text
    assert "at rule general_build: the id is used twice" in text
    assert "at rule footwear: when: posture.lifting is one of rarely, sometimes, often; got 'oftem' (did you " \
           'mean "often"?)' in text
    assert len(info.value.problems) == 5


def test_a_rule_the_schema_refuses_is_set_aside_and_its_neighbours_still_checked(rules_copy):
    """Which rules the schema found broken comes from each error's path: a rule that is not even an object,
    and one with an unknown action, are reported once each and never read as rules (no crash on a string's
    "id", no second report of the broken rule's unknown exercise), while the whole rule beside them still has
    its exercise checked."""
    path = rules_copy / "70_extra.json"
    path.write_text(json.dumps({"rules": [
        "oops",
        {"id": "broken", "because": "Our clinic adds this for everyone.", "when": {"always": True},
         "then": [{"include": {"exercises": ["bridgee"]}}, {"add_exercise": ["x"]}]},
        {"id": "whole", "because": "Our clinic adds this for everyone.", "when": {"always": True},
         "then": [{"include": {"exercises": ["bridgee"]}}]},
    ]}))
    with pytest.raises(DataError) as info:
        _load(rules_copy)
    assert [(p.location, p.message.split(";")[0]) for p in info.value.problems] == [
        ("rule broken: then[1].add_exercise", "unknown field"),
        ("rule whole: then", 'include.exercises: "bridgee" is not in the catalogue (did you mean "bridge"?)'),
        ("rules[0]", 'got text ("oops")'),
    ]


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
