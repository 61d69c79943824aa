"""The canonical JSON text (sorted keys, two-space indent, UTF-8 as is), written faster than json.dumps.

`json.dumps(indent=2)` falls back to the standard library's pure-Python encoder, which took longer
than building the plan it writes. This writes the same bytes (tests/test_speed_guards.py compares the
two on generated data) with one flat recursion and C string escaping, about twice as fast; a list of
dicts of plain values (a plan's session items and weekly doses) goes to the C encoder whole, another
fifth off. The indent stays: the golden files are reviewed as diffs, and calendar event ids hash this
text.
"""

from __future__ import annotations

from functools import cache
from json.encoder import c_make_encoder, encode_basestring  # json.dumps's C encoder, and its escaper
from typing import Any

_INFINITY = float("inf")
_PLAIN = frozenset({str, int, float, bool, type(None)})  # exact types: a subclass takes the general path


def _not_serializable(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


@cache
def _encoder(inner: str):
    """The C encoder for dicts of plain values whose items sit at indent `inner`: sorted keys, no
    circular check (plain values cannot hold their dict), NaN and infinity refused as json.dumps would."""
    return c_make_encoder(None, _not_serializable, encode_basestring, None, ": ", ",\n" + inner, True, False, False)


def _flat_records(value: list | tuple) -> bool:
    """Every item a non-empty dict of plain keys and values (the C encoder at hand)."""
    return c_make_encoder is not None and all(
        type(item) is dict and item and _PLAIN.issuperset(map(type, item.values())) and _PLAIN.issuperset(
            map(type, item)) for item in value)


def _number(value: float) -> str:
    if value != value or value in (_INFINITY, -_INFINITY):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


def indented(data: Any) -> str:
    """`json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)`, the same text."""
    parts: list[str] = []
    add = parts.append
    written: dict[tuple[int, str], str] = {}  # a list of records met again (shared) at the same indent

    def write(value: Any, pad: str) -> None:
        if isinstance(value, str):
            add(encode_basestring(value))
        elif value is None:
            add("null")
        elif value is True:
            add("true")
        elif value is False:
            add("false")
        elif isinstance(value, int):
            add(int.__repr__(value))
        elif isinstance(value, float):
            add(_number(value))
        elif isinstance(value, dict):
            _container(value, pad, "{", "}", sorted(value.items()) if value else ())
        elif isinstance(value, list | tuple):
            if value and _flat_records(value):
                records(value, pad)
            else:
                _container(value, pad, "[", "]", value)
        else:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    def records(value: list | tuple, pad: str) -> None:
        """A list of dicts of plain values in one C call, written with the dicts' own item separator
        throughout; then each seam between two dicts is mended. `},<newline><indent>{` cannot occur
        inside such a dict (no plain value ends in `}`, and a written string holds no newline), so each
        is where one dict ends and the next begins."""
        key = (id(value), pad)
        if key not in written:
            inner, deeper = pad + "  ", pad + "    "
            text = "".join(_encoder(deeper)(value, 0))
            seam = "\n" + inner + "},\n" + inner + "{\n" + deeper
            written[key] = ("[\n" + inner + "{\n" + deeper + text[2:-2].replace("},\n" + deeper + "{", seam)
                            + "\n" + inner + "}\n" + pad + "]")
        add(written[key])

    def _container(value: Any, pad: str, open_: str, close: str, items) -> None:
        if not value:
            add(open_ + close)
            return
        inner = pad + "  "
        add(open_)
        separator = "\n" + inner
        for item in items:
            add(separator)
            separator = ",\n" + inner
            if open_ == "{":
                key, item = item
                if not isinstance(key, str):
                    raise TypeError(f"keys must be str, not {type(key).__name__}")
                add(encode_basestring(key) + ": ")
            write(item, inner)
        add("\n" + pad + close)

    write(data, "")
    return "".join(parts)
