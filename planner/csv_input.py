"""Answers from a spreadsheet or survey export: one person a row.

Columns are named by the answers' field paths (`pain.level`,
`red_flags.saddle_numbness`); a tool that does not allow dots in a column name
may write two underscores instead (`pain__level`). Names are matched without
regard to case. The columns come from the answers JSON Schema, so a field added
there is a column here at once.

Cells: yes/no/true/false/1/0 for true-or-false answers; `;` between the items
of a list (`wall;chair`), `none` for an empty list; numbers as the schema types
them; an empty cell means "use the default" (or "not answered"), except in
a warning-sign column (`x-interview: first`, such as `pregnant`): there an
empty cell is an error, since a skipped survey question is not a "no". A UTF-8 byte
order mark, CRLF line ends, quoted cells holding commas or line breaks, blank
rows and an empty trailing column (as survey tools export them) are all fine.

Every problem of a row is reported at once, naming the file, the row (as a
spreadsheet numbers it: the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.answers import Answers, answers_schema, repeated_activities
from planner.errors import Problem
from planner.fields import BOOLEAN, CHOICES, CONST, INTEGER, NUMBER, RATINGS, Field, answer_fields, get, put
from planner.inputs import Record, safe_stem
from planner.jsonio import canonical_json
from planner.validation import describe, schema_problems

ALIAS = "__"  # stands for "." in a column name
LIST_SEP = ";"
EMPTY_LIST = "none"
TRUE_WORDS = ("yes", "true", "1")
FALSE_WORDS = ("no", "false", "0")
BOOLEAN_ALLOWED = "yes, no, true, false, 1 or 0"
_WHOLE = re.compile(r"[+-]?\d+(\.0*)?")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written in the file, for messages
    field: Field | None  # None: a nameless column (a trailing empty one)


def column_name(path: str) -> str:
    """The underscore alias of a field path, for tools that disallow dots."""
    return path.replace(".", ALIAS)


def read_header(header: list[str], fields: list[Field], source: str) -> tuple[list[Column], list[Problem]]:
    """Match header cells to fields; unknown, repeated and missing required columns are problems."""
    by_name = {f.path.casefold(): f for f in fields}
    columns: list[Column] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        name = raw.strip()
        if not name:
            columns.append(Column(index, f"column {index + 1}", None))
            continue
        found = by_name.get(name.replace(ALIAS, ".").casefold())
        if found is None:
            near = difflib.get_close_matches(name.replace(ALIAS, ".").casefold(), list(by_name), n=1, cutoff=0.7)
            hint = f' (did you mean "{by_name[near[0]].path}"?)' if near else ""
            problems.append(Problem(source, f"column {name}", f"not a field of the answers{hint}; "
                                    "`plan-gen schema --format csv` prints every column name"))
            continue
        if found.path in seen:
            problems.append(Problem(source, f"column {name}", f"repeats the column {seen[found.path]}; keep one"))
            continue
        seen[found.path] = name
        columns.append(Column(index, name, found))
    for f in fields:
        if f.required and f.kind != CONST and f.path not in seen:
            problems.append(Problem(source, f"column {f.path}", f"missing; every row must answer it "
                                    f"({f.title}: {describe(f.node)})"))
    return columns, problems


def parse_cell(text: str, f: Field) -> Any:
    """A cell's value as the schema types it; ValueError says what is allowed."""
    if f.kind == BOOLEAN:
        word = text.casefold()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError(BOOLEAN_ALLOWED)
    if f.kind in (INTEGER, CONST) and _WHOLE.fullmatch(text):
        return int(float(text))
    if f.kind == INTEGER:
        raise ValueError(describe(f.node))
    if f.kind == NUMBER:
        if not _NUMBER.fullmatch(text):
            raise ValueError(describe(f.node) + " (write decimals with a point: 7.5)")
        return int(text) if _WHOLE.fullmatch(text) and "." not in text else float(text)
    if f.kind == CHOICES:
        if text.casefold() == EMPTY_LIST and EMPTY_LIST not in f.choices:
            return []
        return [item.strip() for item in text.split(LIST_SEP) if item.strip()]
    if f.kind == RATINGS:
        return _ratings(text, f)
    return text


def _ratings(text: str, f: Field) -> list[dict]:
    """`putting on socks: 6; walking to the shop: 4` as [{activity, rating}, ...] (the last colon splits)."""
    (name, _), (number, node) = f.parts
    if text.casefold() == EMPTY_LIST:
        return []
    out = []
    items = [i.strip() for i in text.split(LIST_SEP) if i.strip()]
    for item in items:
        words, colon, rating = item.rpartition(":")
        if not colon or not words.strip() or not _WHOLE.fullmatch(rating.strip()) or len(items) > f.node["maxItems"]:
            raise ValueError(f"up to {f.node['maxItems']} items such as putting on socks: 6, each a few words, "
                             f"a colon and {describe(node)}, separated by {LIST_SEP} (or {EMPTY_LIST})")
        out.append({name: words.strip(), number: int(float(rating))})
    return out


def parse_row(cells: list[str], columns: list[Column], fields: list[Field], source: str,
              schema: dict | None = None) -> tuple[Answers, list[Problem]]:
    """One row's answers (defaults left to the schema), and every problem in it."""
    data: Answers = {}
    problems: list[Problem] = []
    bad: set[str] = set()
    headers = {c.field.path: c.header for c in columns if c.field}
    kinds = {f.path: f.kind for f in fields}
    for column in columns:
        # A line break inside a quoted cell reads the same whatever line ends the file uses.
        text = cells[column.index].replace("\r\n", "\n").strip() if column.index < len(cells) else ""
        if not text:
            if column.field is not None and column.field.node.get("x-interview") == "first":
                bad.add(column.field.path)
                problems.append(Problem(source, f"column {column.header}", "empty; a warning-sign question is "
                                        f"never taken as a no: write {BOOLEAN_ALLOWED}"))
            continue
        if column.field is None:
            problems.append(Problem(source, column.header, "this column has no name in the header row, so its value "
                                    "cannot be read; name the column or empty the cell"))
            continue
        try:
            put(data, column.field.keys, parse_cell(text, column.field))
        except ValueError as exc:
            bad.add(column.field.path)
            shown = text if len(text) <= 40 else text[:37] + "..."
            problems.append(Problem(source, f"column {column.header}", f'got "{shown}"; allowed: {exc}'))
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
        problems.append(Problem(source, "", f"the row has {len(cells)} cells but the header only {len(columns)} "
                                "columns; a cell holding a comma needs quotes"))
    for f in fields:
        if f.kind == CONST and get(data, f.keys) is None:
            put(data, f.keys, f.node["const"])
    for problem in schema_problems(data, schema or answers_schema(), source) or repeated_activities(data, source):
        if problem.location in bad:
            continue  # already reported as the cell it came from
        path, _, item = problem.location.partition("[")  # "equipment[1]": an item of the list in that cell
        where = f"column {headers[path]}" if path in headers else problem.location
        message = problem.message
        if kinds.get(path) == RATINGS and item:  # "activities[0].rating": say which item of the cell
            message = f"item {int(item.split(']')[0]) + 1}, {item.split('.', 1)[-1]}: {message}"
        if kinds.get(path) == BOOLEAN:  # say it in the words a cell uses
            message = message.replace("true or false", BOOLEAN_ALLOWED)
        problems.append(Problem(source, where, message))
    return data, problems


def _file_problem(path: str, message: str) -> Record:
    return Record(path, safe_stem(Path(path).stem, "answers"), path, problems=(Problem(path, "", message),))


def csv_records(path: str) -> Iterator[Record]:
    """One Record per person row of a CSV file, carrying its answers as JSON or its problems.

    The file is read row by row, so a large export is never held in memory.
    """
    schema = answers_schema()  # read once a file, not once a row
    fields = answer_fields(schema)
    stem = Path(path).stem
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or not any(c.strip() for c in header):
                # Blank rows only are as empty as no bytes; a blank row 1 above a header is named as such.
                more = any(any(c.strip() for c in row) for row in reader) if header is not None else False
                yield _file_problem(path, "row 1 is blank; the header row of field paths must be row 1" if more
                                    else "the file is empty; it needs a header row of field paths, then one row "
                                    "a person")
                return
            columns, problems = read_header(header, fields, path)
            if problems:
                yield Record(path, safe_stem(stem, "answers"), path, problems=tuple(sorted(problems)))
                return
            # Numbered as a spreadsheet shows them: the header is row 1, a blank row still counts.
            people = 0
            for number, cells in enumerate(reader, start=2):
                if any(c.strip() for c in cells):
                    people += 1
                    yield _row_record(cells, columns, fields, schema, path, stem, number)
            if not people:
                yield _file_problem(path, "the file has a header row but no one's answers below it")
    except UnicodeDecodeError as exc:
        yield _file_problem(path, f"the file is not UTF-8 text (bad byte at position {exc.start}); export or "
                            "save it as CSV UTF-8")
    except csv.Error as exc:
        yield _file_problem(path, f"not readable as CSV: {exc}")


def _row_record(cells: list[str], columns: list[Column], fields: list[Field], schema: dict, path: str, stem: str,
                number: int) -> Record:
    source = f"{path}:row {number}"
    data, problems = parse_row(cells, columns, fields, source, schema)
    own_id = data["id"] if isinstance(data.get("id"), str) else None
    name = safe_stem(own_id, f"{stem}-{number}") if own_id else f"{stem}-{number}"
    if problems:
        return Record(source, safe_stem(name, "answers"), path, problems=tuple(sorted(problems)), id=own_id)
    return Record(source, safe_stem(name, "answers"), path, text=canonical_json(data), id=own_id)


def cell_text(value: Any) -> str:
    """How one answer is written in a cell (the inverse of parse_cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and value and isinstance(value[0], dict):  # RATINGS: text: number; ...
        return LIST_SEP.join(": ".join(str(v) for v in item.values()) for item in value)
    if isinstance(value, list):
        return LIST_SEP.join(str(v) for v in value) if value else EMPTY_LIST
    return repr(value) if isinstance(value, float) else str(value)


def _or_default(value: Any, f: Field) -> Any:
    return f.node.get("default") if value is None else value


def to_csv(people: list[Answers], *, alias: bool = False) -> str:
    """A CSV text of answers, one row each: the header from the schema, then one row a person."""
    fields = answer_fields()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column_name(f.path) if alias else f.path for f in fields])
    for answers in people:  # an absent answer is written as its default, which is what it means
        writer.writerow([cell_text(_or_default(get(answers, f.keys), f)) for f in fields])
    return out.getvalue()


def example_answers() -> Answers:
    """Answers with every required field filled from the schema (example, default, lowest value, first choice)."""
    data: Answers = {}
    for f in answer_fields():
        node = f.node
        if not f.required and "default" not in node:
            continue
        if "examples" in node:
            value = node["examples"][0]
        elif "const" in node:
            value = node["const"]
        elif "default" in node:
            value = node["default"]
        elif f.kind == BOOLEAN:
            value = False
        elif f.choices:
            value = f.choices[0] if f.kind != CHOICES else []
        else:
            value = node.get("minimum", "")
        put(data, f.keys, value)
    return data


def schema_csv() -> str:
    """`plan-gen schema --format csv`: the header row and one example row a clinic can copy."""
    return to_csv([example_answers()])
