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


def _target_key(out_dir: Path, stem: str, fmt: str) -> str:
    return str(out_dir / f"{stem}.{fmt}").lower()


def plan_outputs(paths: list[str], out_dir: Path, formats: tuple[str, ...], stdin_path: str | None,
                 report: str | None = None) -> int:
    """Count the records, raising `InvalidInput` (before any work) for every output that would lose a file."""
    problems: list[Problem] = []
    out_key = same_file_key(out_dir)
    for raw in paths:
        if raw != STDIN and Path(raw).is_dir() and same_file_key(raw) == out_key:
            problems.append(Problem(raw, "", f"is also the output folder (--out-dir {out_dir}); the plans would be "
                                             "written among the answers files: choose another --out-dir"))
    owners: dict[str, str] = {}
    clashes: set[str] = set()
    inputs: set[str] = set()
    count = 0
    for record in records(paths, stdin_path):
        count += 1
        if record.path != stdin_path:
            inputs.add(same_file_key(record.path))
        for fmt in formats:
            key = _target_key(out_dir, record.stem, fmt)
            if key in owners:
                clashes.add(key)
            else:
                owners[key] = record.source
    if clashes:
        problems += _clash_problems(paths, out_dir, formats, stdin_path, clashes)
    for key, source in owners.items():
        if same_file_key(key) in inputs:
            problems.append(Problem(source, "", f"its output {key} would replace an input file; choose another "
                                                "--out-dir"))
    if report:
        report_key = same_file_key(report)
        if report_key in inputs or report_key in {same_file_key(k) for k in owners} or report_key == out_key:
            problems.append(Problem(report, "", "--report names an input or an output of this batch; choose "
                                                "another file for the report"))
    if problems:
        raise InvalidInput(problems)
    return count


def _clash_problems(paths, out_dir, formats, stdin_path, clashes: set[str]) -> list[Problem]:
    """Of the records that share an output name, those that would really both write it."""
    writers: dict[str, list[tuple[str, Path]]] = {}
    for record in records(paths, stdin_path):
        mine = [(key, out_dir / f"{record.stem}.{fmt}") for fmt in formats
                if (key := _target_key(out_dir, record.stem, fmt)) in clashes]
        if mine and check_record(record).ok:
            for key, target in mine:
                writers.setdefault(key, []).append((record.source, target))
    problems = []
    for _, found in sorted(writers.items()):
        first = found[0][0]
        problems += [Problem(source, "", f"would write {target}, as {first} does; rename one of them (or give "
                                         "the records distinct ids)") for source, target in found[1:]]
    return problems
