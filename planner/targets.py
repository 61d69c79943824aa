"""Deciding every output's name before any work, and refusing names that would lose a file.

A batch refuses to start, before a single file is written, when
- two records that would both be written name the same file (compared
  case-insensitively, as some file systems do); an invalid record writes
  nothing, so it clashes with no one;
- the output folder is one of the input folders;
- an output, or the `--report`, would land on an input file (or the report
  on an output).
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.errors import InvalidInput, Problem
from planner.inputs import STDIN, check_record, records


def same_file_key(path: str | os.PathLike) -> str:
    """What two paths must share to be one file: resolved links, and case-blind (cautious on every system)."""
    return os.path.realpath(path).lower()


def _target_key(out_dir: Path, stem: str, fmt: str) -> int:
    """A record's output, as a number: a million names in a set of ints, not of strings."""
    return hash(str(out_dir / f"{stem}.{fmt}").lower())


def _input_files(paths: list[str]) -> set[str]:
    """Every file the inputs name (a folder's *.json files), as same-file keys: a few, not one per record."""
    found = set()
    for raw in paths:
        p = Path(raw)
        if raw == STDIN:
            continue
        children = sorted(c for c in p.glob("*.json") if c.is_file()) if p.is_dir() else [p]
        found.update(same_file_key(c) for c in children)
    return found


def plan_outputs(paths: list[str], out_dir: Path, formats: tuple[str, ...], stdin_path: str | None,
                 report: str | None = None) -> int:
    """Count the records, raising `InvalidInput` (before any work) for every output that would lose a file.

    Memory grows by one small number per output name, so a million records stay in tens of megabytes.
    """
    problems: list[Problem] = []
    out_key = same_file_key(out_dir)
    for raw in paths:
        if raw != STDIN and Path(raw).is_dir() and same_file_key(raw) == out_key:
            problems.append(Problem(raw, "", f"is also the output folder (--out-dir {out_dir}); the plans would be "
                                             "written among the answers files: choose another --out-dir"))
    inputs = _input_files(paths)
    report_key = same_file_key(report) if report else None
    report_clash = report_key is not None and (report_key in inputs or report_key == out_key)
    seen: set[int] = set()
    clashes: set[int] = set()
    count = 0
    for record in records(paths, stdin_path):
        count += 1
        for fmt in formats:
            key = _target_key(out_dir, record.stem, fmt)
            (clashes if key in seen else seen).add(key)
            real = os.path.join(out_key, f"{record.stem}.{fmt}".lower())
            if real in inputs:
                problems.append(Problem(record.source, "", f"its output {out_dir / f'{record.stem}.{fmt}'} would "
                                                           "replace an input file; choose another --out-dir"))
            report_clash = report_clash or real == report_key
    if clashes:
        problems += _clash_problems(paths, out_dir, formats, stdin_path, clashes)
    if report_clash:
        problems.append(Problem(report, "", "--report names an input or an output of this batch; choose "
                                            "another file for the report"))
    if problems:
        raise InvalidInput(problems)
    return count


def _clash_problems(paths, out_dir, formats, stdin_path, clashes: set[int]) -> list[Problem]:
    """Of the records that share an output name, those that would really both write it."""
    writers: dict[int, list[tuple[str, Path]]] = {}
    for record in records(paths, stdin_path):
        mine = [(key, out_dir / f"{record.stem}.{fmt}") for fmt in formats
                if (key := _target_key(out_dir, record.stem, fmt)) in clashes]
        if mine and check_record(record).ok:
            for key, target in mine:
                writers.setdefault(key, []).append((record.source, target))
    problems = []
    for found in writers.values():
        first = found[0][0]
        problems += [Problem(source, "", f"would write {target}, as {first} does; rename one of them (or give "
                                         "the records distinct ids)") for source, target in found[1:]]
    return problems
