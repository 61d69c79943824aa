"""The questionnaire contract: loading, checking and completing one person's answers.

One loader for this input kind (`load_answers`) reads, parses, validates and
fills defaults in one step, raising `InvalidInput` with every problem at once.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import os
from collections.abc import Callable
from typing import Any

from planner import resources, upgrade
from planner.errors import InvalidInput, PlanGenError, Problem
from planner.jsonio import read_json_file
from planner.validation import Check, checker, schema_problems

Answers = dict[str, Any]


def answers_schema() -> dict:
    return resources.schema("answers")


def _checking_schema() -> dict:
    """The answers schema `check_answers` reads (never changes): parsed once, not once a record."""
    return resources.shared_schema("answers")


@functools.cache
def _answers_check() -> Check:
    """The quick check of the answers schema, made once (made for every record, it cost more than it saved)."""
    return checker(_checking_schema())


_IMMUTABLE = (str, int, float, bool, type(None))


def apply_defaults(schema: dict, data: Any) -> Any:
    """A copy of `data` with every schema default filled in where the field is absent. The copy shares only
    immutable values (a deep copy of each was a third of checking a record).

    With `normalise`, the twin of `_completer` (which check_answers uses): change them together.
    tests/test_answers.py::test_filling_in_one_pass_gives_what_defaults_then_normalising_give holds them equal."""
    if type(data) in _IMMUTABLE:
        return data
    if not (isinstance(data, dict) and schema.get("type") == "object"):
        return copy.deepcopy(data)
    props = schema.get("properties", {})
    out = {key: apply_defaults(props[key], value) if key in props else copy.deepcopy(value)
           for key, value in data.items()}
    for name, sub in props.items():
        if name not in out and "default" in sub:
            out[name] = apply_defaults(sub, sub["default"])
    return out


def normalise(schema: dict, data: Any) -> Any:
    """Numbers in the one form every later step takes (durable_rules refuses floats such as 1e-05).

    A whole number written with a point (`6.0`) is the integer 6 wherever the schema asks for an
    integer (JSON Schema itself counts 6.0 as an integer); a `number` is rounded to its `x-decimals`
    places (default 2), and is an integer when it has no fraction left.

    With `apply_defaults`, the twin of `_completer` (which check_answers uses): change them together.
    tests/test_answers.py::test_filling_in_one_pass_gives_what_defaults_then_normalising_give holds them equal.
    """
    kind = schema.get("type")
    if isinstance(data, dict) and kind == "object":
        props = schema.get("properties", {})
        return {key: normalise(props.get(key, {}), value) for key, value in data.items()}
    if isinstance(data, list) and kind == "array":  # a list of objects (activities and their ratings)
        return [normalise(schema.get("items", {}), item) for item in data]
    if isinstance(data, float) and kind == "integer":
        return int(data)
    if isinstance(data, float) and kind == "number":
        value = round(data, schema.get("x-decimals", 2)) + 0.0  # + 0.0 turns -0.0 into 0.0
        return int(value) if value.is_integer() else value
    return data


def _kept(value: Any) -> Any:
    """A value as `apply_defaults` copies it: shared when it cannot change, else a deep copy."""
    return value if type(value) in _IMMUTABLE else copy.deepcopy(value)


def _completer(schema: dict) -> Callable[[Any], Any]:
    """`normalise(schema, apply_defaults(schema, data))` in one pass, with the schema read once, when made:
    the two walks, each reading the schema at every value, were half of checking a record. Only for a
    schema that never changes.

    Twin of `apply_defaults` then `normalise`: a change to either walk must be made here too, and the other
    way round. tests/test_answers.py::test_filling_in_one_pass_gives_what_defaults_then_normalising_give holds
    them equal (types, key order and copying too)."""
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        # A field whose value both walks pass on as it is (true or false, text) needs no call of its own.
        fields = {name: _completer(sub) for name, sub in props.items()
                  if sub.get("type") in ("object", "array", "integer", "number")}
        defaults = [(name, sub["default"]) for name, sub in props.items() if "default" in sub]

        def complete(data: Any) -> Any:
            if not isinstance(data, dict):
                return _kept(data)
            out = {key: fields[key](value) if key in fields else _kept(value) for key, value in data.items()}
            for name, default in defaults:
                if name not in out:
                    out[name] = fields[name](default) if name in fields else _kept(default)
            return out

        return complete
    if kind == "array":
        items = schema.get("items", {})

        def complete_list(data: Any) -> Any:
            if not isinstance(data, list):
                return _kept(data)
            copied = data if all(type(item) in _IMMUTABLE for item in data) else copy.deepcopy(data)
            return [normalise(items, item) for item in copied]

        return complete_list
    if kind in ("integer", "number"):
        return lambda data: normalise(schema, data) if isinstance(data, float) else _kept(data)
    return _kept


@functools.cache
def _answers_complete() -> Callable[[Any], Any]:
    return _completer(_checking_schema())


def check_answers(data: Any, source: str) -> Answers:
    """Validate parsed answers and return them with defaults filled in and numbers normalised."""
    data = upgrade.to_current(data, source)  # version 1 answers are upgraded in memory
    schema = _checking_schema()
    problems = schema_problems(data, schema, source, check=_answers_check()) or repeated_activities(data, source)
    if problems:
        raise InvalidInput(problems)
    return _answers_complete()(data)  # normalise(schema, apply_defaults(schema, data)), made once


def same_words(text: str) -> str:
    """An activity as it is matched: case and spacing aside ("putting on  Socks " is "Putting on socks")."""
    return " ".join(text.split()).casefold()


def repeated_activities(data: dict, source: str) -> list[Problem]:
    """An activity named twice (in other case or spacing): the chart would draw it as one line and the check-in
    could not tell which rating is which."""
    seen: dict[str, int] = {}
    out = []
    for i, item in enumerate(data.get("activities") or ()):
        if not isinstance(item, dict) or not isinstance(item.get("activity"), str):
            continue  # a partial answers file (interview --answers) may leave one to ask
        first = seen.setdefault(same_words(item["activity"]), i)
        if first != i:
            out.append(Problem(source, f"activities[{i}].activity", f'"{item["activity"]}" is the same activity as '
                               f'activities[{first}] ("{data["activities"][first]["activity"]}"); name each '
                               "activity once"))
    return out


def load_answers(path: str | os.PathLike) -> Answers:
    """Read one answers file: parsed, validated, defaults filled."""
    return check_answers(read_json_file(path), str(path))


EPOCH_LIMIT = 4_102_444_800  # 2100-01-01: start dates stop at 2099 (see the schema)


def todays_date() -> dt.date:
    """Today's date, or the date of SOURCE_DATE_EPOCH when set, so a default start date can be repeated."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return dt.date.today()
    text = epoch.strip()
    if not (text.isascii() and text.isdigit()) or int(text) >= EPOCH_LIMIT:
        raise PlanGenError(f"SOURCE_DATE_EPOCH is {epoch!r}; it must be whole seconds since 1970-01-01 "
                           f"(0 to {EPOCH_LIMIT - 1}), or unset")
    return dt.datetime.fromtimestamp(int(text), tz=dt.UTC).date()


def next_monday(today: dt.date) -> dt.date:
    """The Monday after `today` (a week later when today is a Monday): the default start."""
    return today + dt.timedelta(days=7 - today.weekday())


def start_date(answers: Answers, today: dt.date) -> dt.date:
    given = answers.get("plan", {}).get("start_date")
    return dt.date.fromisoformat(given) if given else next_monday(today)
