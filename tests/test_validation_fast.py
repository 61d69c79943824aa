"""The quick schema check (`validation.meets`) never passes what jsonschema refuses, and passes valid answers.

`meets` lets a valid value skip jsonschema; any doubt goes to jsonschema, which decides. So the one
thing that must never happen is `meets` saying yes where jsonschema finds a problem.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import EXAMPLES
from planner import resources, upgrade
from planner.jsonio import read_json_file
from planner.validation import _KEYWORDS, _MAKERS, checker, meets, schema_problems
from strategies import answers, places

SCHEMA = resources.schema("answers")
JSONSCHEMA = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
CHECK = checker(SCHEMA)  # the quick check made once, as a batch keeps it

# Any JSON value, of the kinds a hand-edited file can hold (and near misses: 6.0, true for 1, "2027-02-30").
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0.0, 6.0, 6.5, 1e-05, "", " ", "2027-01-04", "2027-02-30", "2027-1-4", "２０２７-01-04",
                       "2027-01-04T00:00:00", "rarely", "Rarely", "bike", "chair", "bending"])
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _changed(data, path, how, new):
    out = copy.deepcopy(data)
    if not path:
        return new
    *parent, last = path
    target = out
    for step in parent:
        target = target[step]
    if how == "delete":
        del target[last]
    elif how == "add" and isinstance(target, dict):
        target[f"{last}_extra"] = new
    elif how == "add" and isinstance(target, list):
        target.append(new)
    else:
        target[last] = new
    return out


@settings(max_examples=300, deadline=None)
@given(answers(), st.data())
def test_a_value_meets_passes_is_one_jsonschema_finds_nothing_wrong_with(person, data):
    paths = list(places(person))
    path = data.draw(st.sampled_from(paths))
    how = data.draw(st.sampled_from(["replace", "delete", "add"])) if path else "replace"
    changed = _changed(person, path, how, data.draw(JSON_VALUES))
    assert CHECK(changed) == meets(changed, SCHEMA)
    if meets(changed, SCHEMA):
        assert list(JSONSCHEMA.iter_errors(changed)) == []


@settings(max_examples=200, deadline=None)
@given(answers())
def test_valid_answers_take_the_quick_path(person):
    assert list(JSONSCHEMA.iter_errors(person)) == []
    assert meets(person, SCHEMA)
    assert CHECK(person)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_takes_the_quick_path(path):
    data = upgrade.to_current(read_json_file(path), str(path))
    assert meets(data, SCHEMA)
    assert CHECK(data)


@pytest.mark.parametrize(("where", "value"), [
    (("age",), True),  # true is not a whole number
    (("age",), 40.5),
    (("age",), 17),
    (("schema_version",), True),
    (("pain", "level"), "3"),
    (("posture", "slouching"), "Rarely"),
    (("equipment",), ["chair", "chair"]),
    (("plan", "start_date"), "2027-02-30"),
    (("plan", "start_date"), "20270104"),
    (("red_flags", "saddle_numbness"), 0),
    (("pain", "shoe_size"), 9),
])
def test_near_misses_go_to_jsonschema(base_answers, where, value):
    bad = copy.deepcopy(base_answers)
    target = bad
    for step in where[:-1]:
        target = target.setdefault(step, {})
    target[where[-1]] = value
    assert not meets(bad, SCHEMA)
    assert not CHECK(bad)
    assert schema_problems(bad, SCHEMA, "x")  # and jsonschema words the problem


@pytest.mark.parametrize("schema", [
    {"$ref": "#/$defs/a", "$defs": {"a": {"type": "string"}}},
    {"anyOf": [{"type": "string"}]},
    {"type": "object", "patternProperties": {"^a": {"type": "string"}}, "additionalProperties": False},
    {"type": "string", "format": "email"},
    {"enum": [[1]]},
])
def test_keywords_it_does_not_know_are_left_to_jsonschema(schema):
    value = {"a": "x"} if schema.get("type") == "object" else ("x@y.z" if "format" in schema else [1])
    if "$ref" in schema or "anyOf" in schema:
        value = "x"
    assert not meets(value, schema)
    assert not checker(schema)(value)


@pytest.mark.parametrize(("schema", "value"), [
    ({"const": 1}, True),
    ({"enum": [0, 1]}, False),
    ({"enum": [None, "a"]}, False),
    ({"type": "string", "format": "date"}, "20270104"),
    ({"type": "string", "format": "date"}, "2027-02-30"),
    ({"type": "string", "format": "date"}, "２０２７-01-04"),
    ({"type": "array", "uniqueItems": True}, [1, 1.0]),
    ({"type": "array", "uniqueItems": True}, [{"a": 1}, {"a": 1}]),
    ({"type": "integer"}, 6.5),
    ({"type": "number", "exclusiveMaximum": 2}, 2),
    ({"type": "string", "pattern": "^[a-z]+$"}, "abc1"),
    ({"type": "string", "maxLength": 2}, "abc"),
])
def test_small_near_misses_are_refused_by_both(schema, value):
    assert list(Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(value))
    assert not meets(value, schema)
    assert not checker(schema)(value)


def test_both_quick_checks_know_the_same_keywords():
    assert _MAKERS.keys() == _KEYWORDS.keys()


# Small schemas of the keywords both quick checks know, with annotations and near-miss rules.
TYPE_NAMES = ["object", "array", "string", "boolean", "null", "number", "integer", "thing"]
SCALARS = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, 1.5, "", "a", "ab", "2027-01-04"])
SCHEMAS = st.recursive(
    st.booleans() | st.fixed_dictionaries({}, optional={
        "type": st.sampled_from(TYPE_NAMES) | st.lists(st.sampled_from(TYPE_NAMES)),
        "enum": st.lists(SCALARS, max_size=3), "const": SCALARS,
        "minimum": st.integers(-2, 2), "maximum": st.integers(-2, 2), "exclusiveMinimum": st.integers(-2, 2),
        "exclusiveMaximum": st.integers(-2, 2), "minLength": st.integers(0, 2), "maxLength": st.integers(0, 2),
        "minItems": st.integers(0, 2), "maxItems": st.integers(0, 2), "uniqueItems": st.booleans(),
        "pattern": st.sampled_from(["^a", "b$", "[0-9]"]), "format": st.sampled_from(["date", "email"]),
        "required": st.lists(st.sampled_from(["a", "b", "c"]), unique=True), "title": st.just("T"),
        "x-allowed": st.just("words")}),
    lambda inner: st.fixed_dictionaries({}, optional={
        "properties": st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
        "additionalProperties": inner, "items": inner, "patternProperties": st.just({"^a": {}}),
        "type": st.sampled_from(["object", "array"]), "required": st.lists(st.sampled_from(["a", "b"]), unique=True)}),
    max_leaves=6,
)


@settings(max_examples=500, deadline=None)
@given(SCHEMAS, JSON_VALUES | st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), JSON_VALUES, max_size=3))
def test_the_check_made_once_agrees_with_meets(schema, value):
    assert checker(schema)(value) == meets(value, schema)


@pytest.mark.parametrize("keyword", ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
                                     "maxLength", "minItems", "maxItems"])
@pytest.mark.parametrize("value", [0, 1, 2, 1.0, True, "", "a", "ab", [], [1], [1, 2]])
def test_both_quick_checks_draw_each_bound_at_the_same_place(keyword, value):
    assert checker({keyword: 1})(value) == meets(value, {keyword: 1})
