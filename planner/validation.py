"""JSON Schema checking that reports every problem at once, in plain words.

jsonschema's own messages speak of validators ("'x' is not valid under any of
the given schemas"); a person filling in a questionnaire needs the field, what
they wrote and what is allowed. Each problem names its location as a dotted
path (`pain.level`, `equipment[2]`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from planner.errors import Problem
from planner.jsonio import kind_of, location

if TYPE_CHECKING:  # jsonschema is imported when a file is first checked: stamped shipped data never is
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


# A quick check of one schema (`checker`): True only when a value certainly meets the schema.
Check = Callable[[Any], bool]


@cache
def _validator_for(schema_json: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    # Not checked against the metaschema here: that took most of a command's start-up, for schemas that
    # ship with plan-gen. tests/test_speed_guards.py checks every shipped schema instead.
    schema = json.loads(schema_json)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validator(schema: dict) -> Draft202012Validator:
    """A cached validator (building one costs more than validating a file)."""
    return _validator_for(json.dumps(schema, sort_keys=True))


def shown(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _range(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


def describe(schema: dict) -> str:
    """What a schema allows, in a few plain words."""
    if "x-allowed" in schema:  # the schema's own words, where a pattern would read as code
        return schema["x-allowed"]
    if "const" in schema:
        return f"exactly {shown(schema['const'])}"
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(describe({**schema, "type": k}) for k in kind)
    if kind == "integer":
        return "a whole number" + _range(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        return "a number" + _range(schema.get("minimum"), schema.get("maximum"))
    if kind == "boolean":
        return "true or false"
    if kind == "null":
        return "null"
    if kind == "string":
        if schema.get("format") == "date":
            return "a real calendar date written YYYY-MM-DD"
        if "pattern" in schema:
            return f"text matching {schema['pattern']}"
        return "text" + (
            f" of {schema.get('minLength', 0)} to {schema['maxLength']} characters" if "maxLength" in schema else ""
        )
    if kind == "array":
        items = schema.get("items", {})
        size = _range(schema.get("minItems"), schema.get("maxItems"))
        size = f" ({size.strip()} items)" if size else ""
        if "enum" in items:
            return "a list of any of " + ", ".join(str(v) for v in items["enum"]) + " ([] for none)"
        return f"a list of {describe(items)}{size}" if items else "a list"
    if kind == "object":
        props = schema.get("properties", {})
        if not props:
            return "an object"
        required = [name for name in props if name in schema.get("required", ())]
        optional = [name for name in props if name not in required]
        if not required:
            return "an object with the fields " + ", ".join(props)
        text = "an object with the fields " + ", ".join(required)
        return text + (f" (and, optionally, {', '.join(optional)})" if optional else "")
    if "oneOf" in schema or "anyOf" in schema:
        return " or ".join(describe(s) for s in schema.get("oneOf", schema.get("anyOf", [])))
    return "a value as the schema describes"


def suggest(word: Any, choices: Iterable[Any]) -> str:
    """A "did you mean" for a near miss: a close spelling, or a choice that contains the word."""
    if not isinstance(word, str) or not word:
        return ""
    names = [str(c) for c in choices]
    match = [n for n in names if len(word) >= 3 and word.lower() in n.lower()][:1]
    if not match:
        match = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f' (did you mean "{match[0]}"?)' if match else ""


def _named(schema: dict) -> str:
    title = schema.get("title")
    return f"{title}: {describe(schema)}" if title else describe(schema)


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(location, message) pairs for one jsonschema error; some errors name several fields."""
    where = location(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    kind = error.validator
    if kind in ("oneOf", "anyOf") and error.context:
        from jsonschema.exceptions import best_match

        # Say what is wrong with the closest alternative, not "valid under none of them".
        return _messages(best_match(error.context))
    if kind == "required":
        props = schema.get("properties", {})
        missing = [name for name in error.validator_value if name not in value]
        return [
            (location([*error.absolute_path, name]), f"missing; required: {_named(props.get(name, {}))}")
            for name in missing
        ]
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extras = sorted(k for k in value if k not in allowed)
        return [
            (
                location([*error.absolute_path, extra]),
                f"unknown field{suggest(extra, allowed)}; allowed here: " + ", ".join(allowed),
            )
            for extra in extras
        ]
    if kind == "enum":
        return [(where, f"got {shown(value)}; allowed: {describe(schema)}{suggest(value, schema['enum'])}")]
    if kind == "uniqueItems":
        seen, repeated = [], []
        for item in value:
            (repeated if item in seen else seen).append(item)
        return [(where, f"lists {shown(repeated[0]) if repeated else 'an item'} more than once; name each once")]
    if kind == "format":
        return [(where, f"got {shown(value)}; allowed: {describe(schema)}")]
    if kind == "type":
        return [(where, f"got {kind_of(value)} ({shown(value)}); allowed: {describe(schema)}")]
    if kind in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "const", "minLength", "maxLength",
                "pattern", "minItems", "maxItems"}:
        return [(where, f"got {shown(value)}; allowed: {describe(schema)}")]
    return [(where, f"got {shown(value)}; {error.message}")]


def schema_problems(instance: Any, schema: dict, source: str, *, check: Check | None = None) -> list[Problem]:
    """Every way `instance` breaks `schema`, as sorted, de-duplicated problems. A value of the wrong type is
    one problem: 10.5 for a whole number from 0 to 10 is not also reported as above 10. `check`: the
    schema's `checker`, where the caller keeps one."""
    if check(instance) if check else meets(instance, schema):  # the common case, without jsonschema
        return []
    found = [(error.validator == "type", where or "(top level)", message)
             for error in validator(schema).iter_errors(instance) for where, message in _messages(error)]
    mistyped = {where for is_type, where, _ in found if is_type}
    return sorted({Problem(source, where, message) for is_type, where, message in found
                   if is_type or where not in mistyped})


# A quick check of the keywords plan-gen's input schemas use. It only ever answers "certainly valid": any
# doubt (a keyword it does not know, a value it will not compare) sends the value to jsonschema, which
# decides and words every problem. tests/test_validation_fast.py holds it to jsonschema's verdicts.
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$schema", "$id", "$comment"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


def _never(_value: Any) -> bool:
    return False


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(a: Any, b: Any) -> bool:
    """JSON equality for plain values (true is not 1); a container is never "the same" here (not decided)."""
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return type(a) is type(b) and a == b
    return a == b


def _format(value: Any, name: str) -> bool:
    if not isinstance(value, str):
        return True
    if name != "date" or not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _additional(value: dict, rule: Any, schema: dict) -> bool:
    if "patternProperties" in schema:
        return False
    extras = [k for k in value if k not in schema.get("properties", {})]
    if rule is True or not extras:
        return True
    return isinstance(rule, dict) and all(meets(value[k], rule) for k in extras)


def _unique(value: list) -> bool:
    return all(type(v) is str for v in value) and len(set(value)) == len(value)


_KEYWORDS = {
    "type": lambda v, rule, _s: any(_TYPES.get(t, _never)(v) for t in (rule if isinstance(rule, list) else [rule])),
    "enum": lambda v, rule, _s: any(_same(v, choice) for choice in rule),
    "const": lambda v, rule, _s: _same(v, rule),
    "properties": lambda v, rule, _s: not isinstance(v, dict) or all(
        meets(v[k], sub) for k, sub in rule.items() if k in v),
    "required": lambda v, rule, _s: not isinstance(v, dict) or all(k in v for k in rule),
    "additionalProperties": lambda v, rule, s: not isinstance(v, dict) or _additional(v, rule, s),
    "items": lambda v, rule, _s: not isinstance(v, list) or rule is True or (
        isinstance(rule, dict) and all(meets(item, rule) for item in v)),
    "minItems": lambda v, rule, _s: not isinstance(v, list) or len(v) >= rule,
    "maxItems": lambda v, rule, _s: not isinstance(v, list) or len(v) <= rule,
    "uniqueItems": lambda v, rule, _s: not isinstance(v, list) or not rule or _unique(v),
    "minimum": lambda v, rule, _s: not _number(v) or v >= rule,
    "maximum": lambda v, rule, _s: not _number(v) or v <= rule,
    "exclusiveMinimum": lambda v, rule, _s: not _number(v) or v > rule,
    "exclusiveMaximum": lambda v, rule, _s: not _number(v) or v < rule,
    "minLength": lambda v, rule, _s: not isinstance(v, str) or len(v) >= rule,
    "maxLength": lambda v, rule, _s: not isinstance(v, str) or len(v) <= rule,
    "pattern": lambda v, rule, _s: not isinstance(v, str) or re.search(rule, v) is not None,
    "format": lambda v, rule, _s: _format(v, rule),
}


def meets(value: Any, schema: Any) -> bool:
    """True only when `value` certainly meets `schema`; False when it does not, or when this cannot tell.

    Twin of `checker` (the same check, made once per schema): change both together, keyword for keyword
    (`_KEYWORDS` here, `_MAKERS` there). tests/test_validation_fast.py holds them equal:
    test_the_check_made_once_agrees_with_meets, test_both_quick_checks_know_the_same_keywords and
    test_both_quick_checks_draw_each_bound_at_the_same_place."""
    if schema is True or schema == {}:
        return True
    if not isinstance(schema, dict):
        return False
    for key, rule in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        check = _KEYWORDS.get(key)
        if check is None or not check(value, rule, schema):
            return False
    return True


# The same quick check made once for a schema (`checker`), for a schema that checks many values: ~50 calls of
# `meets` a record read the schema again each time. tests/test_validation_fast.py holds it to `meets`.


def _always(_value: Any) -> bool:
    return True


def _every(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        return all(one(value) for one in checks)

    return check


def _make_type(rule: Any, _schema: dict) -> Check:
    return _any([_TYPES.get(t, _never) for t in (rule if isinstance(rule, list) else [rule])])


def _any(checks: list[Check]) -> Check:
    return checks[0] if len(checks) == 1 else lambda v: any(check(v) for check in checks)


def _make_enum(rule: Any, _schema: dict) -> Check:
    if all(isinstance(choice, str) for choice in rule):  # the usual case: one look-up in a set
        choices = frozenset(rule)
        return lambda v: isinstance(v, str) and v in choices
    return lambda v: any(_same(v, choice) for choice in rule)


def _make_properties(rule: dict, _schema: dict) -> Check:
    fields = {name: checker(sub) for name, sub in rule.items()}

    def check(value: Any) -> bool:
        if isinstance(value, dict):
            for name, item in value.items():
                field = fields.get(name)
                if field is not None and not field(item):
                    return False
        return True

    return check


def _make_required(rule: Any, _schema: dict) -> Check:
    names = frozenset(rule)
    return lambda v: not isinstance(v, dict) or names <= v.keys()


def _make_additional(rule: Any, schema: dict) -> Check:
    if "patternProperties" in schema:
        return lambda v: not isinstance(v, dict)
    named = frozenset(schema.get("properties", {}))
    if rule is True:
        return _always
    if not isinstance(rule, dict):  # false: no other field
        return lambda v: not isinstance(v, dict) or v.keys() <= named
    extra = checker(rule)
    return lambda v: not isinstance(v, dict) or all(extra(item) for name, item in v.items() if name not in named)


def _make_items(rule: Any, _schema: dict) -> Check:
    if rule is True:
        return _always
    if not isinstance(rule, dict):
        return lambda v: not isinstance(v, list)
    each = checker(rule)
    return lambda v: not isinstance(v, list) or all(map(each, v))


def _make_pattern(rule: str, _schema: dict) -> Check:
    search = re.compile(rule).search
    return lambda v: not isinstance(v, str) or search(v) is not None


# For each keyword, a function that makes its check from the keyword's value (and its schema, for the
# keywords that read another).
_MAKERS: dict[str, Callable[[Any, dict], Check]] = {
    "type": _make_type,
    "enum": _make_enum,
    "const": lambda rule, _s: lambda v: _same(v, rule),
    "properties": _make_properties,
    "required": _make_required,
    "additionalProperties": _make_additional,
    "items": _make_items,
    "minItems": lambda rule, _s: lambda v: not isinstance(v, list) or len(v) >= rule,
    "maxItems": lambda rule, _s: lambda v: not isinstance(v, list) or len(v) <= rule,
    "uniqueItems": lambda rule, _s: (lambda v: not isinstance(v, list) or _unique(v)) if rule else _always,
    "minimum": lambda rule, _s: lambda v: not _number(v) or v >= rule,
    "maximum": lambda rule, _s: lambda v: not _number(v) or v <= rule,
    "exclusiveMinimum": lambda rule, _s: lambda v: not _number(v) or v > rule,
    "exclusiveMaximum": lambda rule, _s: lambda v: not _number(v) or v < rule,
    "minLength": lambda rule, _s: lambda v: not isinstance(v, str) or len(v) >= rule,
    "maxLength": lambda rule, _s: lambda v: not isinstance(v, str) or len(v) <= rule,
    "pattern": _make_pattern,
    "format": lambda rule, _s: lambda v: _format(v, rule),
}


def checker(schema: Any) -> Check:
    """`meets` for one schema as one function: the schema is read once, when the check is made.

    For a schema that checks many values (a batch's answers); a one-off check is quicker with `meets`, which
    reads only the parts of the schema its value reaches. The check holds what the schema said when made,
    so the schema must not change afterwards (`resources.shared_schema` never does).

    Twin of `meets`: change both together, keyword for keyword (`_MAKERS` here, `_KEYWORDS` there).
    tests/test_validation_fast.py holds them equal: test_the_check_made_once_agrees_with_meets,
    test_both_quick_checks_know_the_same_keywords and test_both_quick_checks_draw_each_bound_at_the_same_place."""
    if schema is True:
        return _always
    if not isinstance(schema, dict):
        return _never
    rules = {key: rule for key, rule in schema.items() if key not in _ANNOTATIONS and not key.startswith("x-")}
    if not rules.keys() <= _MAKERS.keys():
        return _never  # a keyword it does not know: jsonschema decides
    return _every([_MAKERS[key](rule, schema) for key, rule in rules.items()])
