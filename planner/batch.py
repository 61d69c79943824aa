"""Many answers to many plans: in parallel, with nothing lost.

- Every output name is decided before any work starts, and a clash stops the
  run before a single file is written.
- One bad input is reported (file, line, field, reason) and skipped; the
  others are still produced.
- Each output is written atomically, so Ctrl-C or a crash never leaves half
  a PDF; temporary files of an interrupted run are removed.
- `jobs` worker processes each build their durable_rules host once; outputs
  are the same bytes whatever the number of jobs. Work is handed out in
  bounded chunks, so memory stays flat however many people there are.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from planner import exchange
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.engine import engine_for
from planner.errors import InvalidInput, Problem
from planner.inputs import Record, check_record, records
from planner.jsonio import write_atomic
from planner.pdf.render import render_pdf
from planner.render_json import plan_json

CHUNK_PER_JOB = 16


@dataclass(frozen=True)
class PdfOptions:
    page_size: str = "a4"
    large_print: bool = False
    session_time: dt.time | None = None  # --format ics: sessions at this time, else all-day


@dataclass(frozen=True)
class Outcome:
    source: str
    status: str | None  # "plan", "see_professional", "urgent_care"; None when the input was invalid
    outputs: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()

    def report(self) -> dict:
        return {
            "input": self.source,
            "status": self.status or "invalid",
            "outputs": list(self.outputs),
            "problems": [{"location": p.location, "message": p.message} for p in self.problems],
            "warnings": list(self.warnings),
        }


@dataclass
class Tally:
    plans: int = 0
    referrals: int = 0
    invalid: int = 0
    outcomes: list[dict] = field(default_factory=list)

    def add(self, outcome: Outcome, keep: bool) -> None:
        if outcome.status is None:
            self.invalid += 1
        elif outcome.status == "plan":
            self.plans += 1
        else:
            self.referrals += 1
        if keep:
            self.outcomes.append(outcome.report())


def render(plan, fmt: str, pdf: PdfOptions) -> tuple[bytes | None, list[str]]:
    """One output's bytes (None: nothing to write), and any warnings about text that could not print."""
    if fmt == "json":
        return plan_json(plan).encode("utf-8"), []
    if fmt in exchange.FORMATS:
        return exchange.render(plan, fmt, pdf.session_time)
    return render_pdf(plan, shipped_catalogue(), page_size=pdf.page_size, large_print=pdf.large_print)


def write_pdf(plan, target: Path, pdf: PdfOptions) -> list[str]:
    """Write one plan's PDF atomically; return warnings about text that could not print."""
    data, warnings = render(plan, "pdf", pdf)
    write_atomic(target, data)
    return warnings


def check_names(paths: list[str], out_dir: Path, formats: tuple[str, ...], stdin_path: str | None) -> int:
    """Count the records, refusing before any work if two would write the same file."""
    owners: dict[str, str] = {}
    problems = []
    count = 0
    for record in records(paths, stdin_path):
        count += 1
        for fmt in formats:
            target = out_dir / f"{record.stem}.{exchange.suffix(fmt)}"
            key = str(target).lower()  # clashes on case-insensitive file systems count too
            if key in owners:
                problems.append(Problem(record.source, "", f"would write {target}, as {owners[key]} does; "
                                                           "rename one of them (or give the records distinct ids)"))
            else:
                owners[key] = record.source
    if problems:
        raise InvalidInput(problems)
    return count


@dataclass(frozen=True)
class Task:
    record: Record
    out_dir: str
    formats: tuple[str, ...]
    today: dt.date
    pdf: PdfOptions


def run_one(task: Task) -> Outcome:
    """Read, plan and write one record (in a worker process or in this one)."""
    checked = check_record(task.record)
    if not checked.ok:
        return Outcome(task.record.source, None, problems=checked.problems)
    plan = make_plan(checked.answers, task.today)
    warnings: list[str] = []
    outputs = []
    for fmt in task.formats:
        target = Path(task.out_dir) / f"{task.record.stem}.{exchange.suffix(fmt)}"
        data, found = render(plan, fmt, task.pdf)
        warnings += [f"{task.record.source}: {w}" for w in found]
        if data is None:
            continue
        write_atomic(target, data)
        outputs.append(str(target))
    return Outcome(task.record.source, plan.status, tuple(outputs), warnings=tuple(warnings))


def _warm_up() -> None:
    """Worker start: load the data and build this process's one durable_rules host."""
    engine_for(shipped_rulebook())


def run_batch(paths: list[str], out_dir: Path, formats: tuple[str, ...], today: dt.date,
              pdf: PdfOptions | None = None, jobs: int = 1, stdin_path: str | None = None) -> Iterator[Outcome]:
    """Plan every record, yielding outcomes in input order as their files are written."""
    pdf = pdf or PdfOptions()
    tasks = (Task(r, str(out_dir), formats, today, pdf) for r in records(paths, stdin_path))
    try:
        if jobs <= 1:
            for task in tasks:
                yield run_one(task)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_warm_up) as pool:
            while chunk := list(islice(tasks, jobs * CHUNK_PER_JOB)):
                yield from pool.imap(run_one, chunk)
    except BaseException:
        remove_temporaries(out_dir)
        raise


def remove_temporaries(out_dir: Path) -> None:
    """Remove the temporary files an interrupted worker may have left (`.<name>.<random>.tmp`)."""
    if out_dir.is_dir():
        for leftover in out_dir.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)
