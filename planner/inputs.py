"""Turning what a user names into answers records to read, one at a time.

- a `.json` file is one record, named after the file;
- a folder stands for every `*.json` file directly inside it, sorted, so the
  same command over the same folder always reads files in one order;
- a `.jsonl` file (JSON Lines) holds one record a line, named after the
  record's `id`, else `<file stem>-<line number>`;
- `-` is JSON Lines read from standard input;
- a `.csv` file holds one record a row (`planner.csv_input`), named after its
  `id` column, else `<file stem>-<row number>`.

Records are read lazily: a file of a million lines is never held in memory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from planner.answers import Answers, check_answers
from planner.errors import InvalidInput, Problem
from planner.fhir import answers_from_input
from planner.jsonio import MAX_BYTES, parse_json_text, read_json_file

STDIN = "-"


@dataclass(frozen=True)
class Record:
    """One person's answers to read: a whole file, or one line of a JSON Lines file."""

    source: str  # for messages: "a.json", "people.jsonl:12", "<stdin>:3"
    stem: str  # output file name without suffix
    path: str  # the file to read
    line: int | None = None  # JSON Lines: the line number (1-based)
    text: str | None = None  # JSON Lines: the line itself
    error: str | None = None  # JSON Lines: why the line could not even be decoded
    problems: tuple[Problem, ...] = ()  # CSV: every problem of the row (or of the file's header)
    id: str | None = None  # JSON Lines, CSV: the record's own "id", for the report (its stem is made safe)


@dataclass(frozen=True)
class Checked:
    """The outcome of reading one record: its answers, or every problem found."""

    source: str
    answers: Answers | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.answers is not None


MAX_STEM_BYTES = 100  # of UTF-8: with the suffix and a temporary file's tag, well under a file name's 255


def _keeps(char: str) -> bool:
    """A letter (with its accents: marks) or digit of any script, or '.', '_', '-'."""
    kind = unicodedata.category(char)
    return char in "._-" or kind[0] in "LM" or kind == "Nd"


def safe_stem(text: str, fallback: str) -> str:
    """A file name stem that cannot leave the output folder: letters and digits of any script, '.', '_'
    and '-'; each run of other characters (a '/', a space) becomes one '_', so nothing before it is lost.
    Never a hidden name or '..' (no '.', '_' or '-' first or last), at most 100 bytes."""
    text = unicodedata.normalize("NFC", text)  # one name for "Zoë" however it was typed
    if text.isascii():  # the same names as always, fast
        cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text)
    else:
        cleaned = re.sub("\0+", "_", "".join(c if _keeps(c) else "\0" for c in text))
    cut = cleaned.strip("._-").encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore")
    return cut.strip("._-") or fallback  # again: the cut may end on one


def spool_stdin(stream: IO[bytes]) -> str:
    """Copy standard input to a temporary file, so it can be read twice (names first, then work)."""
    with tempfile.NamedTemporaryFile(prefix="plan-gen-stdin-", suffix=".jsonl", delete=False) as spool:
        try:
            shutil.copyfileobj(stream, spool)
        except BaseException:  # Ctrl-C while it waits for a terminal: no copy left behind
            os.unlink(spool.name)
            raise
    return spool.name


def _jsonl_records(path: str, label: str) -> Iterator[Record]:
    """One record a non-blank line. A file with none is one invalid record, not zero records: an export that
    failed and left an empty file must not look like a batch that ran."""
    stem = Path(label).stem if label != "<stdin>" else "stdin"
    lines = 0  # lines that hold something
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, as .json files may carry too
            try:
                text = raw.decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                lines += 1
                yield Record(f"{label}:{number}", f"{stem}-{number}", path, number, "",
                             f"the line is not UTF-8 text (bad byte at position {exc.start}); save the file as UTF-8")
                continue
            if not text:
                continue
            lines += 1
            name, own_id = f"{stem}-{number}", None
            try:
                data = json.loads(text)
                if isinstance(data, dict) and isinstance(data.get("id"), str):
                    own_id = data["id"]
                    name = safe_stem(own_id, name)
            except (ValueError, RecursionError):
                pass
            yield Record(f"{label}:{number}", name, path, number, text, id=own_id)
    if not lines:
        what = "the input is empty" if label == "<stdin>" else "the file is empty"
        yield Record(label, safe_stem(stem, "answers"), path, error=f"{what}; expected one JSON object per line")


def records(paths: list[str], stdin_path: str | None = None) -> Iterator[Record]:
    """Every record the paths name, in a stable order."""
    for raw in paths:
        p = Path(raw)
        if raw == STDIN:
            if stdin_path is None:
                raise InvalidInput([Problem("-", "", "standard input was not read")])
            yield from _jsonl_records(stdin_path, "<stdin>")
        elif p.is_dir():
            # A link whose file is gone is listed too, so it is reported ("no such file"), never skipped.
            children = sorted(c for c in p.glob("*.json") if c.is_file() or (c.is_symlink() and not c.exists()))
            if not children:
                yield Record(raw, safe_stem(p.name, "folder"), raw)  # reported as an empty folder
            for child in children:
                yield Record(str(child), safe_stem(child.stem, "answers"), str(child))
        elif p.suffix.lower() == ".jsonl" and p.is_file():
            yield from _jsonl_records(raw, raw)
        elif p.suffix.lower() == ".csv" and p.is_file():
            from planner.csv_input import csv_records  # imported here: it builds on Record

            yield from csv_records(raw)
        else:
            yield Record(raw, safe_stem(p.stem, "answers"), raw)


def check_record(record: Record) -> Checked:
    """Read and validate one record; any problem is returned, never raised."""
    try:
        if record.error:
            raise InvalidInput([Problem(record.source, "", record.error)])
        if record.problems:
            raise InvalidInput(list(record.problems))
        if record.text is not None:
            if len(record.text) > MAX_BYTES:
                raise InvalidInput([Problem(record.source, "", f"the line is too large (over {MAX_BYTES} bytes)")])
            data = answers_from_input(parse_json_text(record.text, record.source), record.source)
            return Checked(record.source, check_answers(data, record.source))
        if Path(record.path).is_dir():
            return Checked(record.source, None, (Problem(record.source, "", "the folder holds no .json files"),))
        data = answers_from_input(read_json_file(record.path), record.source)  # answers or FHIR
        return Checked(record.source, check_answers(data, record.source))
    except InvalidInput as exc:
        return Checked(record.source, None, tuple(exc.problems))


def check_files(paths: list[str], stdin_path: str | None = None) -> Iterator[Checked]:
    """Read every input, one at a time (memory stays flat); one bad input never stops the others."""
    return (check_record(r) for r in records(paths, stdin_path))
