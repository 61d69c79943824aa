"""The canonical JSON text (sorted keys, two-space indent, UTF-8 as is), written faster than json.dumps.

`json.dumps(indent=2)` falls back to the standard library's pure-Python encoder, which took longer
than building the plan it writes. This writes the same bytes (tests/test_speed_guards.py compares the
two on generated data) with one flat recursion and C string escaping, about twice as fast. The indent
stays: the golden files are reviewed as diffs, and calendar event ids hash this text.
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C escaper json.dumps(ensure_ascii=False) uses
from typing import Any

_INFINITY = float("inf")


def _number(value: float) -> str:
    if value != value or value in (_INFINITY, -_INFINITY):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


def indented(data: Any) -> str:
    """`json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)`, the same text."""
    parts: list[str] = []
    add = parts.append

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
            _container(value, pad, "[", "]", value)
        else:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

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
