"""Reading JSON input safely, with a plain sentence for every way a file can be wrong.

Everything plan-gen reads (answers, catalogue, rules) passes through
`read_json_text`, so an empty, binary, truncated, duplicated-key or
absurdly nested file gets the same clear message wherever it appears.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import itertools
import json
import os
import re
import secrets
import socket
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from planner.errors import InvalidInput, OutputError, Problem
from planner.libc import linux_call

# An answers file is a few hundred bytes; a catalogue file a few kilobytes.
MAX_BYTES = 1_000_000
# Answers nest two levels, rule files about eight; deeper input is a mistake or an attack, and would
# exhaust Python's recursion in the schema checks.
MAX_DEPTH = 32


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


def _number(text: str) -> float | int:
    """A whole number written with a point (`6.0`) is read as the integer it is. JSON Schema counts it as an
    integer, so it passes every check; then a week number, a range of repetitions or a printed "60 s" needs
    the integer (a clinic's `"starts_week": 3.0` ended in an internal error)."""
    value = float(text)
    return int(value) if value.is_integer() else value


def parse_json_text(text: str, source: str, *, expect: str = "a JSON object") -> Any:
    def fail(location: str, message: str) -> InvalidInput:
        return InvalidInput([Problem(source, location, message)])

    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant,
                          parse_float=_number)
    except json.JSONDecodeError as exc:
        raise fail("", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except ValueError as exc:
        raise fail("", f"not valid JSON: {exc}") from None
    except RecursionError:
        raise fail("", "the JSON is nested too deeply to read; expected a flat object") from None
    if expect == "a JSON object" and not isinstance(data, dict):
        raise fail("", f"expected a JSON object ({{...}}) at the top level, found {kind_of(data)}")
    found = text_problem(data) if _may_hold_text_problem(text) else None
    if found:
        raise fail(*found)
    return data


# `\ud800`-`\udfff` written as an escape, in either case: the only way JSON text that encodes can give a lone
# surrogate (a pair is read as one character, but is matched here too, and then walked).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _may_hold_text_problem(text: str) -> bool:
    """False only when `text_problem` certainly finds nothing in what `text` parses to, seen from the text alone
    (walking every value was most of reading an answers record). A value nested deeper than MAX_DEPTH has
    more than MAX_DEPTH brackets opened before it; a broken character needs one in the text or an escape."""
    return (text.count("{") + text.count("[") > MAX_DEPTH or _SURROGATE_ESCAPE.search(text) is not None
            or broken_text(text))


def location(path: Iterable[Any]) -> str:
    """A dotted path for messages: `pain.level`, `equipment[2]`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def broken_text(text: str) -> bool:
    """True when text holds a lone UTF-16 surrogate (JSON allows "\\ud800"): it cannot be printed or saved."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def text_problem(data: Any) -> tuple[str, str] | None:
    """(location, message) for the first value nested too deeply or text with a broken character, else None.

    Checked once where JSON is read, so no later step (schema checks, PDF, JSON output) meets either.
    """
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return "", f"the JSON is nested more than {MAX_DEPTH} levels deep; expected a flat object"
        if isinstance(value, str) and broken_text(value):
            return location(path), ("the text holds a broken character (a lone \\ud800-\\udfff escape); "
                                  "write the character itself or remove it")
        if isinstance(value, dict):
            for key, item in value.items():
                if broken_text(key):
                    return location(path), "a field name holds a broken character (a lone \\ud800-\\udfff escape)"
                stack.append((item, [*path, key]))
        elif isinstance(value, list):
            stack.extend((item, [*path, i]) for i, item in enumerate(value))
    return None


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
        guess = Path(f"{source}.json")
        hint = f' (did you mean "{guess}"?)' if p.suffix.lower() != ".json" and guess.is_file() else ""
        raise InvalidInput([Problem(source, "", f"no such file{hint}")]) from None
    except PermissionError:
        raise InvalidInput([Problem(source, "", "permission denied: the file cannot be read")]) from None
    except OSError as exc:
        raise InvalidInput([Problem(source, "", f"cannot be read: {exc.strerror or exc}")]) from None
    return parse_json_bytes(raw, source, expect=expect)


def canonical_json(data: Any) -> str:
    """The one way plan-gen writes JSON: sorted keys, two-space indent, UTF-8, final newline.

    Sorted keys make the output byte-identical whatever order Python built it in.
    """
    from planner.json_text import indented  # the same text as json.dumps(indent=2, ...), faster

    try:
        return indented(data) + "\n"
    except TypeError:  # a key that is not text: json.dumps's own conversion and message
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Every temporary file plan-gen makes is named `.<target>.<RUN_TAG>.<n>.tmp` (n: a number, or random): the
# tag is unique to this run (host, process, random), so cleaning up removes this run's files and never a
# user's `.notes.tmp` or another run's file in flight. A worker process is given its parent's tag.
TEMP_MARK = "plan-gen-"


# The host's share of the tag: a folder shared over the network may hold another machine's files in flight.
HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def new_run_tag() -> str:
    return f"{TEMP_MARK}{HOST}-{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but is another user's
        return True
    return True


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files left by a plan-gen run on this host that was killed (its process is gone)."""
    if not folder.is_dir():
        return
    for leftover in folder.glob(f".*.{TEMP_MARK}{HOST}-*-*.*.tmp"):
        pid = leftover.name.split(f".{TEMP_MARK}{HOST}-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


RUN_TAG = new_run_tag()

_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
    errno.EACCES: "permission denied; choose a folder you may write to",
    errno.EPERM: "permission denied; choose a folder you may write to",
    errno.EROFS: "the file system is read-only; choose a folder you may write to",
    errno.ENOTDIR: "part of the path is a file, not a folder; choose another folder",
    errno.EISDIR: "a folder has that name; choose another name",
    errno.EEXIST: "something that is not a folder has that name (a file, or a link to nowhere); choose another",
    errno.ENOENT: "the folder does not exist (or a link points nowhere); choose another",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter one",
}


def output_error(path: str | os.PathLike, exc: OSError) -> OutputError:
    """A write that failed, as a user error naming the path and what to do."""
    advice = _ADVICE.get(exc.errno, f"{exc.strerror or exc}; check the path and run again")
    return OutputError(f"cannot write {path}: {advice}", disk_full=exc.errno in (errno.ENOSPC, errno.EDQUOT))


def make_folder(folder: str | os.PathLike) -> None:
    """Create an output folder (and its parents), or raise `OutputError` saying why it cannot be."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(folder, exc) from None


def check_writable(folder: str | os.PathLike, tag: str | None = None) -> None:
    """Create the folder if needed and prove a file can be made in it, before any work is done there."""
    make_folder(folder)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".probe.{tag or RUN_TAG}.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise output_error(folder, exc) from None


def write_temporary(path: str | os.PathLike, data: bytes, *, tag: str | None = None, durable: bool = True) -> str:
    """Write `data` to a new temporary file beside `path` and return its name; `durable`: fsync it too.

    Not durable is for a group of files made safe together (`WriteGroup`) before any is
    renamed. A failure of the file system raises `OutputError` (a user error) and leaves no file.
    """
    try:
        fd, tmp = _new_temporary(path, tag)
    except OSError:  # most often a folder not made yet: make it (or say why it cannot be) and try once more
        make_folder(Path(path).parent)
        try:
            fd, tmp = _new_temporary(path, tag)
        except OSError as exc:
            raise output_error(Path(path), exc) from None
    with _gone_on_failure(tmp, Path(path)):
        try:
            view = memoryview(data)
            while view:  # a write may take only part (a full disk): the rest, or the error it meets
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    return tmp


# A new file only (O_EXCL: never one already there, nor through a link), opened as open() opens one, so its
# mode is 0o666 less the umask. tempfile.mkstemp cost a batch record more than the write itself: a random
# name, the folder made again, the mode set afterwards (12 system calls where 3 do).
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_SERIAL = itertools.count()  # this process's temporary files: the tag says whose run, the number which file


def _new_temporary(path: str | os.PathLike, tag: str | None) -> tuple[int, str]:
    """A new, empty file `.<name>.<tag>.<n>.tmp` beside `path`, open for writing: (descriptor, name)."""
    folder, name = os.path.split(os.fspath(path))
    for _ in range(1000):
        tmp = os.path.join(folder, f".{name}.{tag or RUN_TAG}.{next(_SERIAL)}.tmp")
        try:
            return os.open(tmp, _NEW_FILE, 0o666), tmp
        except FileExistsError:  # a worker of this run (workers share its tag) or a stopped one: the next number
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file")


@contextlib.contextmanager
def _gone_on_failure(tmp: str, target: str | os.PathLike):
    """Any failure inside removes the temporary file; a file-system one becomes `OutputError` naming the
    target (Ctrl-C and bugs pass through unchanged)."""
    try:
        yield
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise output_error(target, exc) from None
        raise


def put_in_place(tmp: str, path: str | os.PathLike) -> None:
    """Rename a finished temporary file over its target (atomic on POSIX and Windows); on failure the
    temporary is removed and `OutputError` names the target."""
    with _gone_on_failure(tmp, path):
        os.replace(tmp, path)


def write_atomic(path: str | os.PathLike, data: bytes, *, tag: str | None = None) -> None:
    """Write a file so that readers see the old file or the whole new one, never a part.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    then renamed over the target (an atomic step on POSIX and Windows). A
    failure of the file system raises `OutputError` (a user error).
    """
    put_in_place(write_temporary(path, data, tag=tag), path)


@functools.cache
def _syncfs() -> Callable[[int], None] | None:
    """Linux's syncfs(2), one flush of a whole file system, raising OSError; None where there is none.
    Looked up when a batch first writes a group of files: no other command needs it."""
    return linux_call("syncfs")


class WriteGroup:
    """Files written unsynced, then made durable together by one `flush` before any is renamed.

    On Linux each folder is opened before the group's first file is written in it, and `flush` calls
    syncfs(2) on it: one flush of that file system (it writes other programs' pending data there too),
    which reports a write error met there since the folder was opened, so one in the background
    writeback of this group's files too. Elsewhere `flush` fsyncs each file of the group.
    """

    def __init__(self) -> None:
        self._sync = _syncfs()
        self._folders: dict[str, int] = {}
        self._temporaries: list[str] = []

    def __enter__(self) -> WriteGroup:
        return self

    def __exit__(self, *_exc: object) -> None:
        for fd in self._folders.values():
            os.close(fd)
        self._folders.clear()

    def write(self, path: str | os.PathLike, data: bytes, *, tag: str | None = None) -> str:
        """Write `data` to a temporary file beside `path`, unsynced; return its name."""
        folder = os.path.dirname(os.fspath(path)) or "."
        if self._sync is not None and folder not in self._folders:
            make_folder(folder)
            try:
                self._folders[folder] = os.open(folder, os.O_RDONLY)
            except OSError as exc:
                raise output_error(folder, exc) from None
        tmp = write_temporary(path, data, tag=tag, durable=False)
        self._temporaries.append(tmp)
        return tmp

    def flush(self) -> None:
        """Make every file written so far durable; raise `OutputError` naming the folder where it failed."""
        if self._sync is not None:
            for folder, fd in self._folders.items():
                try:
                    self._sync(fd)
                except OSError as exc:
                    raise output_error(folder, exc) from None
            return
        for tmp in self._temporaries:
            try:
                fd = os.open(tmp, os.O_RDONLY)
            except FileNotFoundError:  # a record that failed took its files away
                continue
            except OSError as exc:
                raise output_error(os.path.dirname(tmp) or ".", exc) from None
            try:
                os.fsync(fd)
            except OSError as exc:
                raise output_error(os.path.dirname(tmp) or ".", exc) from None
            finally:
                os.close(fd)


def sync_folders(folders: Iterable[str | os.PathLike]) -> None:
    """fsync each folder, so the renames made in it survive a power cut (POSIX; Windows has no such call).
    Best effort: the files themselves are already complete on disk."""
    if os.name != "posix":
        return
    for folder in set(map(str, folders)):
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


class ReportStream:
    """`{"inputs": [...], "summary": {...}}` written entry by entry: memory stays flat however many inputs,
    and the bytes are those `canonical_json` gives for the whole object. The file appears, atomically,
    only when `finish` renames it into place; a write that fails is reported by `finish`, after the run.
    Never over a file unless `overwrite` (`no_replace.place_new`: one that appeared while the run went is kept)."""

    def __init__(self, path: str | os.PathLike, tag: str | None = None, overwrite: bool = False):
        self.target = Path(path)
        self.overwrite = overwrite
        self.count = 0
        self.error: OutputError | None = None
        make_folder(self.target.parent)
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{self.target.name}.{tag or RUN_TAG}.", suffix=".tmp",
                                            dir=self.target.parent)
        except OSError as exc:
            raise output_error(self.target, exc) from None
        os.fchmod(fd, 0o666 & ~_current_umask())
        self.handle = os.fdopen(fd, "w", encoding="utf-8")
        self._write('{\n  "inputs": [')

    def _write(self, text: str) -> None:
        if self.error is None:
            try:
                self.handle.write(text)
            except OSError as exc:
                self.error = output_error(self.target, exc)

    def add(self, entry: dict) -> None:
        text = json.dumps(entry, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n    ")
        self._write(("," if self.count else "") + "\n    " + text)
        self.count += 1

    def finish(self, summary: dict) -> None:
        tail = json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
        self._write(("\n  ]" if self.count else "]") + ',\n  "summary": ' + tail + "\n}\n")
        try:
            if self.error is None:
                self.handle.flush()
                os.fsync(self.handle.fileno())
            self.handle.close()
            if self.error is None:
                from planner.no_replace import REPORT_ADVICE, place_new  # it imports this module

                place_new(self.tmp, self.target, REPORT_ADVICE, overwrite=self.overwrite)
        except OutputError as exc:
            self.error = exc
        except OSError as exc:
            self.error = output_error(self.target, exc)
        if self.error is not None:
            self.abandon()
            raise self.error

    def abandon(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def remove_temporaries(folder: Path, tag: str) -> None:
    """Remove the temporary files of the run tagged `tag` (an interrupted worker may leave one)."""
    if folder.is_dir():
        for leftover in folder.glob(f".*.{tag}.*.tmp"):
            leftover.unlink(missing_ok=True)
