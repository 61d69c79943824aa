"""Reading JSON input safely, with a plain sentence for every way a file can be wrong.

Everything plan-gen reads (answers, catalogue, rules) passes through
`read_json_text`, so an empty, binary, truncated, duplicated-key or
absurdly nested file gets the same clear message wherever it appears.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from planner.errors import InvalidInput, Problem

# An answers file is a few hundred bytes; a catalogue file a few kilobytes.
MAX_BYTES = 1_000_000


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON here; write a plain number")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f'the key "{key}" appears twice in one object; keep one')
        seen[key] = value
    return seen


def kind_of(value: Any) -> str:
    """A JSON value's kind in plain words, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def parse_json_bytes(raw: bytes, source: str, *, expect: str = "a JSON object") -> Any:
    """Parse bytes into JSON, raising `InvalidInput` with one clear sentence on failure."""

    def fail(message: str) -> InvalidInput:
        return InvalidInput([Problem(source, "", message)])

    if len(raw) > MAX_BYTES:
        raise fail(f"the file is too large (over {MAX_BYTES} bytes); an input file may hold at most {MAX_BYTES} bytes")
    if not raw.strip():
        raise fail(f"the file is empty; expected {expect}")
    if b"\x00" in raw:
        raise fail(f"the file holds binary data, not text; expected {expect}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"the file is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8") from None
    return parse_json_text(text, source, expect=expect)


def parse_json_text(text: str, source: str, *, expect: str = "a JSON object") -> Any:
    def fail(location: str, message: str) -> InvalidInput:
        return InvalidInput([Problem(source, location, message)])

    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise fail("", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except ValueError as exc:
        raise fail("", f"not valid JSON: {exc}") from None
    except RecursionError:
        raise fail("", "the JSON is nested too deeply to read; expected a flat object") from None
    if expect == "a JSON object" and not isinstance(data, dict):
        raise fail("", f"expected a JSON object ({{...}}) at the top level, found {kind_of(data)}")
    return data


def read_json_file(path: str | os.PathLike, *, expect: str = "a JSON object") -> Any:
    """Read and parse one JSON file named by the user."""
    source = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise InvalidInput([Problem(source, "", "is a folder, not a file")])
        with p.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput([Problem(source, "", "no such file")]) from None
    except PermissionError:
        raise InvalidInput([Problem(source, "", "permission denied: the file cannot be read")]) from None
    except OSError as exc:
        raise InvalidInput([Problem(source, "", f"cannot be read: {exc.strerror or exc}")]) from None
    return parse_json_bytes(raw, source, expect=expect)


def canonical_json(data: Any) -> str:
    """The one way plan-gen writes JSON: sorted keys, two-space indent, UTF-8, final newline.

    Sorted keys make the output byte-identical whatever order Python built it in.
    """
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write a file so that readers see the old file or the whole new one, never a part.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    then renamed over the target (an atomic step on POSIX and Windows).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~_current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
