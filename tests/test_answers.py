"""The questionnaire contract: what is accepted, defaults, and the exact message for each mistake."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE_ANSWERS, example_paths
from planner.answers import (
    _completer,
    answers_schema,
    apply_defaults,
    check_answers,
    load_answers,
    next_monday,
    normalise,
    start_date,
)
from planner.errors import InvalidInput
from strategies import answers as valid_answers
from strategies import places


def _walk(schema: dict, path: str = ""):
    yield path, schema
    for name, sub in schema.get("properties", {}).items():
        yield from _walk(sub, f"{path}.{name}" if path else name)


def test_every_property_has_title_and_description():
    for path, sub in _walk(answers_schema()):
        if path:
            assert sub.get("title"), f"{path} has no title"
            assert sub.get("description"), f"{path} has no description"


def test_every_object_forbids_unknown_keys():
    for path, sub in _walk(answers_schema()):
        if sub.get("type") == "object":
            assert sub.get("additionalProperties") is False, f"{path or 'top level'} allows unknown keys"


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_every_example_is_valid(path):
    answers = load_answers(path)
    assert answers["schema_version"] == 2  # version 1 examples are upgraded as they are read


def test_defaults_are_filled(base_answers):
    answers = check_answers(base_answers, "x.json")
    assert answers["plan"] == {"weeks": 6, "days_per_week": 5, "minutes_per_session": 20}
    assert answers["pregnant"] is False
    assert answers["recent_back_surgery"] is False
    assert answers["cleared_by_professional"] is False
    assert base_answers.get("plan") is None, "the caller's object must not change"


def test_filled_answers_share_nothing_mutable_with_the_input_or_the_schema(base_answers):
    """The filled answers are changed later (the interview, a check-in): neither the caller's lists nor a
    schema default may change with them."""
    del base_answers["pain"]["worse_with"]
    given = copy.deepcopy(base_answers)
    first = check_answers(base_answers, "x.json")
    first["pain"]["worse_with"].append("sitting")
    first["equipment"].append("weights")
    assert check_answers(base_answers, "x.json")["pain"]["worse_with"] == []
    assert base_answers == given


def test_missing_worse_with_defaults_to_empty(base_answers):
    del base_answers["pain"]["worse_with"]
    assert check_answers(base_answers, "x.json")["pain"]["worse_with"] == []


def test_next_monday_is_after_today():
    assert next_monday(dt.date(2026, 11, 26)) == dt.date(2026, 11, 30)  # a Thursday
    assert next_monday(dt.date(2026, 11, 30)) == dt.date(2026, 12, 7)  # a Monday: the next one


def test_start_date_uses_given_date(base_answers):
    base_answers["plan"] = {"start_date": "2027-03-03"}
    answers = check_answers(base_answers, "x.json")
    assert start_date(answers, dt.date(2026, 1, 1)) == dt.date(2027, 3, 3)


def _with(change):
    data = copy.deepcopy(BASE_ANSWERS)
    change(data)
    return data


def _set(path: str, value):
    def change(data):
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value

    return change


def _delete(path: str):
    def change(data):
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        del node[last]

    return change


DATES = "a real calendar date in the years 2000 to 2099, written YYYY-MM-DD"
BAD = [
    ("age.too_low", _set("age", 12), ["x.json: at age: got 12; allowed: a whole number from 18 to 100"]),
    ("age.text", _set("age", "forty"),
     ['x.json: at age: got text ("forty"); allowed: a whole number from 18 to 100']),
    ("age.bool", _set("age", True),
     ["x.json: at age: got true or false (true); allowed: a whole number from 18 to 100"]),
    ("pain.level", _set("pain.level", 11), ["x.json: at pain.level: got 11; allowed: a whole number from 0 to 10"]),
    ("pain.missing", _delete("pain.below_knee"),
     ["x.json: at pain.below_knee: missing; required: Pain below the knee: true or false"]),
    ("worse_with.unknown", _set("pain.worse_with", ["bending"]),
     ["x.json: at pain.worse_with[0]: got \"bending\"; allowed: one of sitting, standing, walking, bending_forward, "
      "bending_backward, lifting, lying_down (did you mean \"bending_forward\"?)"]),
    ("red_flag.missing", _delete("red_flags.saddle_numbness"),
     ["x.json: at red_flags.saddle_numbness: missing; required: Numb groin or seat: true or false"]),
    ("posture.typo", _set("posture.sittng_hours", 3),
     ['x.json: at posture.sittng_hours: unknown field (did you mean "sitting_hours"?); '
      "allowed here: footwear, lifting, sitting_hours, slouching"]),
    ("slouching", _set("posture.slouching", "sometime"),
     ['x.json: at posture.slouching: got "sometime"; allowed: one of rarely, sometimes, often '
      '(did you mean "sometimes"?)']),
    ("equipment.dup", _set("equipment", ["wall", "wall"]),
     ['x.json: at equipment: lists "wall" more than once; name each once']),
    ("equipment.unknown", _set("equipment", ["ball"]),
     ['x.json: at equipment[0]: got "ball"; allowed: one of wall, exercise_ball, bench, chair, weights '
      '(did you mean "exercise_ball"?)']),
    ("date.impossible", _set("plan.start_date", "2027-02-30"),
     ['x.json: at plan.start_date: got "2027-02-30"; allowed: ' + DATES]),
    ("date.format", _set("plan.start_date", "03/01/2027"), ['x.json: at plan.start_date: got "03/01/2027"; allowed: '
                                                           + DATES]),
    # The plan's last day must exist: 9999-12-31 plus 16 weeks does not.
    ("date.far", _set("plan.start_date", "9999-12-31"), ['x.json: at plan.start_date: got "9999-12-31"; allowed: '
                                                         + DATES]),
    ("name.surrogate", _set("name", "Ann \ud800"),
     ["x.json: at name: the text holds a broken character (a lone \\ud800-\\udfff escape); write the character "
      "itself or remove it"]),
    ("posture.missing", _delete("posture"),
     ["x.json: at posture: missing; required: Daily habits: an object with the fields lifting, sitting_hours, "
      "slouching (and, optionally, footwear)"]),
    ("weeks", _set("plan.weeks", 20), ["x.json: at plan.weeks: got 20; allowed: a whole number from 2 to 16"]),
    ("name.long", _set("name", "x" * 81),
     ['x.json: at name: got "' + "x" * 36 + '...; allowed: text of 1 to 80 characters']),
    ("version", _set("schema_version", 3), ["x.json: at schema_version: got 3; allowed: exactly 2"]),
    ("top.unknown", _set("nme", "A"),
     ['x.json: at nme: unknown field (did you mean "name"?); allowed here: activities, activity_level, age, '
      "cleared_by_professional, course, equipment, floor_ok, id, name, not_asked, pain, plan, posture, pregnant, "
      "recent_back_surgery, red_flags, schema_version, start_back"]),
]


@pytest.mark.parametrize(("change", "expected"), [(c, e) for _, c, e in BAD], ids=[i for i, _, _ in BAD])
def test_bad_answers_give_exact_messages(change, expected, tmp_path):
    # Through the file loader, as validate and batch read them (the broken-text check is part of reading JSON).
    path = tmp_path / "x.json"
    path.write_text(json.dumps(_with(change)), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_answers(path)
    assert [str(p).replace(str(path), "x.json") for p in info.value.problems] == expected


def test_whole_numbers_written_with_a_point_are_integers(base_answers):
    """JSON Schema counts 6.0 as an integer, so plan-gen does too, and passes on the int 6."""
    base_answers["plan"] = {"weeks": 6.0, "days_per_week": 5.0, "minutes_per_session": 20.0}
    base_answers["age"] = 40.0
    base_answers["activities"] = [{"activity": "Walking", "rating": 4.0}]  # inside a list too
    answers = check_answers(base_answers, "x.json")
    assert answers["plan"] == {"weeks": 6, "days_per_week": 5, "minutes_per_session": 20}
    assert answers["activities"] == [{"activity": "Walking", "rating": 4}]
    assert all(type(v) is int for v in [answers["age"], answers["activities"][0]["rating"], *answers["plan"].values()])


@pytest.mark.parametrize(("given", "kept"), [(0.00001, 0), (7.5, 7.5), (6.0, 6), (23.999, 24), (1 / 3, 0.33),
                                             (-0.0, 0), (1e-300, 0)])
def test_sitting_hours_kept_to_two_places(base_answers, given, kept):
    """durable_rules refuses any float Python prints with an exponent (1e-05): none reaches it."""
    base_answers["posture"]["sitting_hours"] = given
    value = check_answers(base_answers, "x.json")["posture"]["sitting_hours"]
    assert value == kept and type(value) is type(kept) and "e" not in repr(value)


def test_every_problem_is_reported_at_once():
    def many(data):
        data["age"] = 5
        data["pain"]["level"] = 99
        data["equipment"] = ["sofa"]
        del data["floor_ok"]

    with pytest.raises(InvalidInput) as info:
        check_answers(_with(many), "x.json")
    assert [p.location for p in info.value.problems] == ["age", "equipment[0]", "floor_ok", "pain.level"]


RAW = [
    ("empty", b"", "e.json: the file is empty; expected a JSON object"),
    ("blank", b"  \n", "e.json: the file is empty; expected a JSON object"),
    ("binary", b"\x00\x01PK", "e.json: the file holds binary data, not text; expected a JSON object"),
    ("latin1", b'{"name": "\xe9"}', "e.json: the file is not UTF-8 text (bad byte at position 10); save it as UTF-8"),
    ("truncated", b'{"age": 40,\n "pain": ', "e.json: not valid JSON: Expecting value at line 2, column 10"),
    ("list", b"[1, 2]", "e.json: expected a JSON object ({...}) at the top level, found a list"),
    ("string", b'"hello"', "e.json: expected a JSON object ({...}) at the top level, found text"),
    ("nan", b'{"age": NaN}', "e.json: not valid JSON: NaN is not allowed in JSON here; write a plain number"),
    ("duplicate", b'{"age": 1, "age": 2}',
     'e.json: not valid JSON: the key "age" appears twice in one object; keep one'),
    ("deep", b"[" * 100_000 + b"]" * 100_000, "e.json: the JSON is nested too deeply to read; expected a flat object"),
    ("huge", b'{"name": "' + b"a" * 1_000_001 + b'"}',
     "e.json: the file is too large (over 1000000 bytes); an input file may hold at most 1000000 bytes"),
]


@pytest.mark.parametrize(("raw", "expected"), [(r, e) for _, r, e in RAW], ids=[i for i, _, _ in RAW])
def test_unreadable_files_give_one_clear_sentence(tmp_path, raw, expected, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e.json").write_bytes(raw)
    with pytest.raises(InvalidInput) as info:
        load_answers("e.json")
    assert str(info.value) == expected


def test_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInput, match=r"^gone\.json: no such file$"):
        load_answers("gone.json")


def test_folder_instead_of_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    with pytest.raises(InvalidInput, match=r"^d: is a folder, not a file$"):
        load_answers("d")


def test_names_in_any_script_are_accepted(base_answers):
    for name in ["Zoë Łukasiewicz-Øster", "Ελένη Παπαδοπούλου", "Сергей Иванов", "Şule Çağlar", "Tom & \"Jerry\" <b>"]:
        base_answers["name"] = name
        assert check_answers(base_answers, "x.json")["name"] == name


# Any JSON value, with the numbers normalising changes (6.0, 1/3, -0.0) and containers to copy.
ODD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 30) | st.sampled_from([6.0, 7.5, 1 / 3, -0.0, 1e-05, "x", "wall"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "weeks", "rating"]), inner,
                                                                max_size=2),
    max_leaves=5)


def _containers(value) -> set[int]:
    found = {id(value)} if isinstance(value, dict | list) else set()
    for item in (value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()):
        found |= _containers(item)
    return found


@settings(max_examples=300, deadline=None)
@given(valid_answers(), st.data())
def test_filling_in_one_pass_gives_what_defaults_then_normalising_give(person, data):
    """`check_answers` fills defaults and normalises numbers in one pass made once for the schema; it must give
    exactly (types and key order too) what `apply_defaults` then `normalise` give, on any value, and copy
    every list and object."""
    schema = answers_schema()
    for key in data.draw(st.lists(st.sampled_from(["plan", "pregnant", "not_asked"]), unique=True)):
        person.pop(key, None)  # defaults to fill
    *parent, last = data.draw(st.sampled_from([p for p in places(person) if p]))
    target = person
    for step in parent:
        target = target[step]
    if data.draw(st.booleans()):
        target[last] = data.draw(ODD_VALUES)
    expected = normalise(schema, apply_defaults(schema, person))
    got = _completer(schema)(person)
    assert repr(got) == repr(expected)
    assert not _containers(got) & (_containers(person) | _containers(schema))
