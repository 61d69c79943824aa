"""The canonical JSON text (sorted keys, two-space indent, UTF-8 as is), written faster than json.dumps.

`json.dumps(indent=2)` falls back to the standard library's pure-Python encoder, which took longer
than building the plan it writes. This writes the same bytes (tests/test_speed_guards.py compares the
two on generated data): a container that holds only plain values (a "leaf": most of a plan's lists
and records) goes to json.dumps's own C encoder whole, with its item separator set to this depth's
newline and indent; the rest is one flat recursion that picks each value's writer by its exact type.
The indent stays: the golden files are reviewed as diffs, and calendar event ids hash this text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from json.encoder import c_make_encoder, encode_basestring  # json.dumps's C encoder, and its escaper
from typing import Any

_INFINITY = float("inf")


def not_serializable(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _number(value: float) -> str:
    if value != value or value in (_INFINITY, -_INFINITY):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


# How json.dumps writes a value of each plain type. Keyed by exact type: a subclass (an IntEnum, a str
# subclass) takes the general isinstance path, as json.dumps's own dispatch would treat it.
SCALAR = {str: encode_basestring, int: int.__repr__, float: _number, bool: {True: "true", False: "false"}.__getitem__,
          type(None): lambda _: "null"}
PLAIN = frozenset(SCALAR)


@cache
def leaf_encoder(inner: str):
    """The C encoder for a container of plain values whose items sit at indent `inner`: sorted keys, no
    circular check (plain values cannot hold their container), NaN and infinity refused (as above).
    Without a C encoder (an interpreter built without _json) it is None and leaves take the recursion."""
    if c_make_encoder is None:
        return None
    return c_make_encoder(None, not_serializable, encode_basestring, None, ": ", ",\n" + inner, True, False, False)


def leaf(value: dict | list | tuple, pad: str) -> str | None:
    """A non-empty container of plain values written at `pad` in one C call, else None.

    The C encoder writes `{a,<sep>b}` with this depth's separator between items and nothing after the
    opening or before the closing bracket: the two are put in. Its keys are converted and sorted as
    json.dumps's are (sort first, then non-text keys to text)."""
    inner = pad + "  "
    encoder = leaf_encoder(inner)
    if encoder is None:
        return None
    text = "".join(encoder(value, 0))
    return text[0] + "\n" + inner + text[1:-1] + "\n" + pad + text[-1]


def indented(data: Any, pad: str = "") -> str:
    """`json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)`, the same text; `pad`: the indent
    of the line `data` starts on, for a value written inside a larger text (planner.render_json)."""
    as_text = SCALAR.get(type(data))
    if as_text is not None:  # a plan's text writes a dozen plain values a plan this way: no list to join
        return as_text(data)
    parts: list[str] = []
    _write(data, pad, parts.append)
    return "".join(parts)


# The writers below pass `add` (the text's list's append) down, rather than closing over it: closures made
# afresh for each call cost a plan's text 0.02 ms in the dozen small values it writes.

def _write(value: Any, pad: str, add: Callable[[str], None]) -> None:
    kind = type(value)
    as_text = SCALAR.get(kind)
    if as_text is not None:
        add(as_text(value))
    elif kind is dict:
        if not value:
            add("{}")
        elif PLAIN.issuperset(map(type, value.values())) and (text := leaf(value, pad)) is not None:
            add(text)
        else:
            _dict(value, pad, add)
    elif kind is list or kind is tuple:
        if not value:
            add("[]")
        elif PLAIN.issuperset(map(type, value)) and (text := leaf(value, pad)) is not None:
            add(text)
        else:
            _list(value, pad, add)
    else:
        _other(value, pad, add)


def _dict(value: dict, pad: str, add: Callable[[str], None]) -> None:
    inner = pad + "  "
    separator = "{\n" + inner
    for key, item in sorted(value.items()):
        if type(key) is not str:
            raise TypeError(f"keys must be str, not {type(key).__name__}")  # canonical_json: json.dumps's way
        add(separator + encode_basestring(key) + ": ")
        separator = ",\n" + inner
        _write(item, inner, add)
    add("\n" + pad + "}")


def _list(value: list | tuple, pad: str, add: Callable[[str], None]) -> None:
    inner = pad + "  "
    separator = "[\n" + inner
    for item in value:
        add(separator)
        separator = ",\n" + inner
        _write(item, inner, add)
    add("\n" + pad + "]")


def _other(value: Any, pad: str, add: Callable[[str], None]) -> None:
    """A subclass of a JSON type, written as json.dumps writes it; anything else is refused."""
    if isinstance(value, str):
        add(encode_basestring(value))
    elif isinstance(value, int):  # bool cannot be subclassed: every bool took the exact-type path
        add(int.__repr__(value))
    elif isinstance(value, float):
        add(_number(value))
    elif isinstance(value, dict):
        _dict(value, pad, add) if value else add("{}")
    elif isinstance(value, list | tuple):
        _list(value, pad, add) if value else add("[]")
    else:
        not_serializable(value)
