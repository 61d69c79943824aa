"""Reading JSON text: the quick test on the text (`_may_hold_text_problem`) only ever skips a walk that finds nothing.

`parse_json_text` walks every value (`text_problem`) only when the text could hold a value nested too deeply or
a broken character; these tests hold the quick test to the walk, and pin the messages and locations both give.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import InvalidInput
from planner.inputs import Record, check_record
from planner.jsonio import MAX_DEPTH, _may_hold_text_problem, parse_json_text, text_problem

# Text with lone surrogates, pairs and plain characters; values nested up to twice MAX_DEPTH.
TEXT = st.text(st.sampled_from(["a", "é", "\ud800", "\udbff", "\udc00", "\udfff", "\ud7ff", "\ue000", "😀", "\\", "u"]),
               max_size=4)
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                      lambda inner: st.lists(inner, max_size=2) | st.dictionaries(TEXT, inner, max_size=2),
                      max_leaves=8)


def _nested(depth: int, leaf: object = 1) -> object:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


@settings(max_examples=400, deadline=None)
@given(st.one_of(VALUES, st.integers(0, 2 * MAX_DEPTH).map(_nested),
                 st.tuples(st.integers(0, 2 * MAX_DEPTH), TEXT).map(lambda d: _nested(*d))),
       st.booleans(), st.booleans())
def test_the_quick_test_never_skips_a_problem(value, ascii_only, upper):
    text = json.dumps({"v": value}, ensure_ascii=ascii_only)
    if upper:  # escapes may be written \uD800 as well as \ud800
        text = text.replace("\\ud", "\\uD")
    data = json.loads(text)
    if not _may_hold_text_problem(text):
        assert text_problem(data) is None
    try:
        parse_json_text(text, "x")
    except InvalidInput as exc:
        assert [(p.location, p.message) for p in exc.problems] == [text_problem(data)]
    else:
        assert text_problem(data) is None


def _problem(text: str) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as info:
        parse_json_text(text, "x")
    [problem] = info.value.problems
    return problem.location, problem.message


DEEP = f"the JSON is nested more than {MAX_DEPTH} levels deep; expected a flat object"
BROKEN = "the text holds a broken character (a lone \\ud800-\\udfff escape); write the character itself or remove it"
BROKEN_NAME = "a field name holds a broken character (a lone \\ud800-\\udfff escape)"


@pytest.mark.parametrize(("text", "expected"), [
    ('{"a": ' + "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH + "}", ("", DEEP)),
    ('{"name": "Ann \\ud800"}', ("name", BROKEN)),
    ('{"name": "Ann \\uDFFF"}', ("name", BROKEN)),
    ('{"list": ["ok", {"deep": "\\uDaBc"}]}', ("list[1].deep", BROKEN)),
    ('{"a": {"b\\udc00": 1}}', ("a", BROKEN_NAME)),
    ('{"name": "Ann \ud800"}', ("name", BROKEN)),  # the character itself, not an escape
])
def test_problems_keep_their_messages_and_locations(text, expected):
    assert _problem(text) == expected


@pytest.mark.parametrize("text", [
    '{"a": ' + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + "}",  # exactly MAX_DEPTH levels
    '{"name": "Ann \\ud83d\\ude00 \\u00e9 \\ud7ff \\ue000"}',  # a pair is one character
    '{"name": "a \\\\ud800"}',  # an escaped backslash, then the letters ud800
])
def test_near_misses_are_read(text):
    assert parse_json_text(text, "x") == json.loads(text)


def test_a_json_lines_record_too_deep_or_broken_is_refused_with_its_line():
    deep = Record("p.jsonl:3", "p-3", "p.jsonl", 3, json.dumps(_nested(MAX_DEPTH + 1)))
    broken = Record("p.jsonl:4", "p-4", "p.jsonl", 4, '{"schema_version": 2, "name": "Ann \\ud800"}')
    assert [str(p) for p in check_record(deep).problems] == [f"p.jsonl:3: {DEEP}"]
    assert [str(p) for p in check_record(broken).problems] == [f"p.jsonl:4: at name: {BROKEN}"]
