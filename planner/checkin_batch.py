"""`plan-gen checkin --batch PLANS CHECKINS`: many check-ins at once, with the guarantees of `plan-gen batch`.

CHECKINS is JSON Lines (one check-in a line, `-` for standard input), a check-in file or a folder of them;
each check-in names its plan with `plan_id`, the plan file's name in the PLANS folder without `.json`
(`anna`, or `anna-block1` for the second check-in). The records run through the batch's own workers
(`planner.batch`: a `CheckinTask` is made by `run_chunk` as an answers `Task` is), so here as there:

- before any work, a run stops (exit 1) when two check-ins name the same plan (the second would check in
  against the block the first one replaces) or `--report` names an input or an output;
- one record never costs another: a bad check-in (file, line, field, what is allowed), a missing plan, a plan
  made by other rules, an output that exists already, even a bug, is reported against its record and the rest
  are made;
- each output is written atomically, never over a file (not over an input, nor over an earlier block).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planner import batch
from planner.batch import Outcome
from planner.checkin import check_checkin, checkin_schema, load_plan_json
from planner.checkin_files import FORMATS, CheckinOptions, write_block
from planner.data_source import DataSource
from planner.errors import InvalidInput, OutputError, PlanGenError, Problem, TimedOut
from planner.inputs import STDIN, Record, records
from planner.jsonio import RUN_TAG, parse_json_text, read_json_file, remove_stale_temporaries
from planner.targets import same_file_key
from planner.validation import schema_problems
from planner.watchdog import time_limit

PLAN_ID = "plan_id"


@dataclass(frozen=True)
class CheckinTask:
    """One check-in record to make into the next block of the plan it names."""

    record: Record
    plans: str  # the folder of plan JSON files
    out_dir: str
    fmt: str  # pdf, json or both
    weeks: int
    today: dt.date
    tag: str = RUN_TAG
    options: CheckinOptions | None = None  # paper, type size, clinic, clinician's copy (None: as printed)

    def make(self, staged=None, group=None) -> Outcome:
        """Read the check-in, find its plan and write the next block. Each file is written in place and made
        durable on its own (`staged` and `group`, batch's grouped writes, are not used)."""
        source = self.record.source
        data: dict = {}
        try:
            data = read_record(self.record)
            plan_path = find_plan(data, source, Path(self.plans))
            found: list[str] = []
            plan = _plan(plan_path, source, (self.options or CheckinOptions()).data, found)
            checkin = check_checkin(data, source, plan)
            new, paths, warnings = self._write(plan_path, plan, checkin, data[PLAN_ID])
            warnings = found + warnings
        except OutputError:
            raise  # batch.run_chunk reports it, and stops the run on a full disk
        except InvalidInput as exc:
            return Outcome(source, None, problems=tuple(exc.problems))
        except PlanGenError as exc:  # an output that exists already: the user moves it, the rest go on
            return Outcome(source, "failed", problems=(Problem(source, "", str(exc) + self._later(data)),))
        return Outcome(source, new.status, tuple(str(p) for p in paths),
                       warnings=tuple(f"{source}: {w}" for w in warnings))

    def _write(self, plan_path: Path, plan: dict, checkin, plan_id: str):
        """write_block; stopped part-way (--timeout), none of its files stay, so a later run can make them all
        (it never writes over one). Only names that were free before are removed: never a user's file."""
        outputs = [Path(self.out_dir) / name for name in output_names(plan_id, self.fmt)]
        free = [path for path in outputs if not path.exists()]
        try:
            return write_block(plan_path, plan, checkin, self.weeks, self.fmt, Path(self.out_dir), self.today,
                               tag=self.tag, options=self.options)
        except TimedOut:
            for path in free:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            raise

    def _later(self, data: dict) -> str:
        """When a later block of the named plan exists, the check-in was most likely meant for it: say so."""
        given = data.get(PLAN_ID, "")
        stem = re.sub(r"-block[0-9]+$", "", given)
        blocks = sorted((int(m.group(1)), p.stem) for p in Path(self.plans).glob(f"{stem}-block*.json")
                        if (m := re.fullmatch(re.escape(stem) + r"-block([0-9]+)", p.stem)))
        if not blocks or blocks[-1][1] == given:
            return ""
        last = blocks[-1][1]
        return f" ({last} is in the plans too: if this check-in came after that block, write plan_id {last})"


def read_record(record: Record) -> dict:
    """The check-in a record holds, as parsed JSON (checked against the plan later)."""
    if record.error:
        raise InvalidInput([Problem(record.source, "", record.error)])
    if record.text is not None:
        data = parse_json_text(record.text, record.source)
    elif Path(record.path).is_dir():
        raise InvalidInput([Problem(record.source, "", "the folder holds no .json files")])
    else:
        data = read_json_file(record.path)
    if not isinstance(data, dict):
        raise InvalidInput([Problem(record.source, "", "expected a JSON object: one check-in (plan-gen schema "
                                    "checkin)")])
    return data


def find_plan(data: dict, source: str, plans: Path) -> Path:
    """The plan file a check-in names; every problem of the check-in's shape is reported with a missing one."""
    given = data.get(PLAN_ID)
    if "plan_format" in data:  # the folders given the wrong way round: not every field of a plan as unknown
        raise InvalidInput([Problem(source, "", "is a plan, not a check-in: give the folder of plans first, then "
                                    "the check-ins: plan-gen checkin --batch PLANS CHECKINS.jsonl")])
    problems = [p for p in schema_problems(data, checkin_schema(), source) if p.location != PLAN_ID]
    if not isinstance(given, str) or not re.fullmatch(checkin_schema()["properties"][PLAN_ID]["pattern"], given):
        shown = "missing" if given is None else f"got {given!r}"
        problems.append(Problem(source, PLAN_ID, f"{shown}; write the name of a plan file in {plans} without .json "
                                "(such as anna, or anna-block1 for the next check-in)"))
    elif not (plans / f"{given}.json").is_file():
        problems.append(Problem(source, PLAN_ID, f'"{given}": there is no {plans / (given + ".json")}; write the '
                                f"name of a plan file in {plans} without .json"))
    if problems:
        raise InvalidInput(problems)
    return plans / f"{given}.json"


def _plan(path: Path, source: str, data: DataSource, warnings: list[str]) -> dict:
    """The plan JSON, its problems (other rules, a referral, ...) named against the check-in."""
    try:
        return load_plan_json(path, *data.pair(), warnings)
    except InvalidInput as exc:
        raise InvalidInput([Problem(source, f"{PLAN_ID} ({p.source}{': ' + p.location if p.location else ''})",
                                    p.message) for p in exc.problems]) from None


def output_names(plan_id: str, fmt: str) -> list[str]:
    """The files a check-in against `plan_id` writes, from the name alone (`anna-block1` -> `anna-block2.*`)."""
    found = re.fullmatch(r"(.*)-block([0-9]+)", plan_id)
    stem, block = (found.group(1), int(found.group(2)) + 1) if found else (plan_id, 1)
    return [f"{stem}-block{block}.{ext}" for ext in FORMATS[fmt]]


def plan_checkins(paths: list[str], plans: Path, out_dir: Path, fmt: str, stdin_path: str | None,
                  report: str | None, timeout: float | None = None) -> int:
    """Count the records, refusing (before any work) two check-ins of one plan and a report over a file.
    Reading one check-in stops after `timeout` seconds (a named pipe nobody writes to): it is then reported
    when it is made, where it stops again."""
    if not plans.is_dir():
        raise PlanGenError(f"{plans}: not a folder; give the folder that holds the plan JSON files first, then "
                           "the check-ins: plan-gen checkin --batch PLANS CHECKINS.jsonl")
    for raw in paths:
        if raw != STDIN and Path(raw).suffix.lower() == ".csv":
            raise PlanGenError(f"{raw}: check-ins are read from JSON Lines (.jsonl) or .json files, not CSV")
    problems: list[Problem] = []
    first: dict[str, str] = {}
    taken = {same_file_key(p) for p in plans.glob("*.json")} | {same_file_key(p) for p in paths if p != STDIN}
    written: dict[str, str] = {}  # each output of this run -> the check-in that writes it
    count = 0
    for record in records(paths, stdin_path):
        count += 1
        plan_id = _plan_id(record, timeout)
        if plan_id is None:
            continue  # reported when it is made
        if plan_id in first:
            problems.append(Problem(record.source, PLAN_ID, f'"{plan_id}" is also checked in at {first[plan_id]}; '
                                    "give one check-in a plan in a run (the next one goes against the new block)"))
        first.setdefault(plan_id, record.source)
        for name in output_names(plan_id, fmt):
            maker = written.setdefault(same_file_key(out_dir / name), record.source)
            if maker != record.source:  # anna and anna-block0 both write anna-block1
                problems.append(Problem(record.source, PLAN_ID, f'"{plan_id}" writes {out_dir / name}, as the '
                                        f"check-in at {maker} does; give one of them in a later run"))
                break
        taken.update(written)
    problems += _made_in_this_run(first, written, plans)
    if report and same_file_key(report) in taken:
        problems.append(Problem(report, "", "--report names an input or an output of this run; choose another "
                                "file for the report"))
    if problems:
        raise InvalidInput(problems)
    return count


def _made_in_this_run(first: dict[str, str], written: dict[str, str], plans: Path) -> list[Problem]:
    """A check-in against a block this run writes: whether that block exists yet when the check-in is read
    depends on the order workers finish, so the outcome would change with --jobs; it waits for the next run."""
    out = []
    for plan_id, source in first.items():
        maker = written.get(same_file_key(plans / f"{plan_id}.json"))
        if maker is not None:
            out.append(Problem(source, PLAN_ID, f'"{plan_id}" is the block the check-in at {maker} writes in this '
                               "run; check in against it in a later run, once that block has been made"))
    return out


def _plan_id(record: Record, timeout: float | None = None) -> str | None:
    try:
        with time_limit(timeout):
            data = read_record(record)
    except (PlanGenError, TimedOut):
        return None
    given = data.get(PLAN_ID)
    return given if isinstance(given, str) else None


def run_checkins(paths: list[str], plans: Path, out_dir: Path, fmt: str, weeks: int, today: dt.date,
                 jobs: int = 1, stdin_path: str | None = None, tag: str = RUN_TAG,
                 options: CheckinOptions | None = None, timeout: float | None = None) -> Iterator[Outcome]:
    """Make every check-in's next block, yielding outcomes in input order as their files are written; each
    check-in is stopped after `timeout` seconds (None or 0: no limit)."""
    remove_stale_temporaries(out_dir)
    tasks = (CheckinTask(r, str(plans), str(out_dir), fmt, weeks, today, tag, options)
             for r in records(paths, stdin_path))
    yield from batch.run_tasks(tasks, out_dir, jobs, tag, timeout)
