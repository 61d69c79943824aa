"""Many answers to many plans: in parallel, with nothing lost, nothing hung and nothing overwritten.

- The rules and catalogue are loaded and checked once, in this process,
  before any worker starts: a broken data file stops the run at once with
  the same message whatever `--jobs` is.
- Every output name is decided before any work starts (`planner.targets`);
  a clash, or an output that would land on an input, stops the run before
  a single file is written.
- One record never costs another: a bad input, a file that cannot be
  written, even a bug in plan-gen, is reported against that record and the
  others go on. Only a full disk stops the run early (every later write
  would fail too), and then in order, with what was written reported.
- No file is ever replaced unless `overwrite` (--overwrite): each output is
  put in place by `no_replace.place_new`, in one step that fails where a file
  has the name; one with the very bytes this run made is left as it is
  (`unchanged`), one that differs is reported and none of that record's new
  files stay ("refused", exit 1); the other records go on.
- Each output is written atomically under a temporary name unique to this
  run; cleanup removes only this run's temporary files. Records are written
  in groups (`run_chunk`): every file of the group goes under its temporary
  name, one flush makes them all durable (`jsonio.WriteGroup`), then
  each is put in place (`_place`: never over a file) and the folder is synced. After a crash or
  power cut an output is absent or whole, never partial, and every record
  reported as written was renamed after its bytes were on disk; the group
  in flight leaves only temporary files, which the next run removes.
- Worker processes come from a pool that notices a worker dying (killed,
  out of memory): the records it held are made again one at a time, so the
  one that killed it is named and the rest are written.
- No record runs for ever (`--timeout`, `planner.watchdog`): one that runs
  past its time limit is stopped and reported (exit 3) and its files are not
  written, in a worker or in this process alike; the rest go on.
- Workers take records a few at a time (`CHUNK`), so a round trip to a
  worker is paid once per chunk, not once per record; a single input runs
  in this process, and the pool never has more workers than inputs (cli). The pool uses the
  forkserver start method where there is one (spawn elsewhere): workers do
  not inherit the parent's threads or open files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from planner import exchange
from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.collector import hold_during_start, settle
from planner.data_source import DataSource, choose
from planner.engine import engine_for
from planner.errors import OutputError, Problem, TimedOut
from planner.inputs import Record, check_record, records
from planner.jsonio import (
    RUN_TAG,
    WriteGroup,
    remove_stale_temporaries,
    remove_temporaries,
    sync_folders,
    write_atomic,
)
from planner.no_replace import ExistingFile, place_new, refusal
from planner.render_json import plan_json_bytes
from planner.watchdog import backstop, in_worker, time_limit

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from planner.clinic import Clinic

CHUNK_PER_JOB = 16  # records in flight per worker (and the group one process writes with --jobs 1)
CHUNK = 4  # records a worker takes at once: fewer round trips, and the last chunks still share out evenly
MAX_WORKER_DEATHS = 5  # after this many, something outside kills every worker: stop rather than spin
WORKER_DIED = ("the worker process making it stopped without a word (killed from outside, or out of memory?); "
               "run the batch again for this record, and if it happens again, report it as a bug in plan-gen")


@dataclass(frozen=True)
class PdfOptions:
    page_size: str = "a4"
    large_print: bool = False
    clinic: Clinic | None = None  # printed on the cover and referral pages (--clinic)
    session_time: dt.time | None = None  # --format ics: sessions at this time, else all-day
    clinician_copy: bool = False  # --clinician-copy: one page for the clinic's file after the patient's pages

    def printed(self) -> dict:
        """What the plan JSON records of these options (`printed`): the paper and the type size."""
        return {"page_size": self.page_size, "large_print": self.large_print}


@dataclass(frozen=True)
class Outcome:
    source: str
    # "plan", "see_professional", "urgent_care"; None: the input was invalid; "failed": it could not be
    # written (the user can fix that); "refused": a different file has an output's name (left as it is);
    # "error": a bug in plan-gen; "timed_out": it ran past --timeout.
    status: str | None
    outputs: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    stop: str | None = None  # why no later record is worth trying (the disk is full)
    unchanged: tuple[str, ...] = ()  # of `outputs`, those already there with the very same bytes, left as they are
    id: str | None = None  # the record's own "id" (JSON Lines, CSV): a clinic matches outputs to people by it

    def report(self) -> dict:
        row = {
            "input": self.source,
            "status": self.status or "invalid",
            "outputs": list(self.outputs),
            "unchanged": list(self.unchanged),
            "problems": [{"location": p.location, "message": p.message} for p in self.problems],
            "warnings": list(self.warnings),
        }
        return row if self.id is None else {**row, "id": self.id}


@dataclass
class Tally:
    plans: int = 0
    referrals: int = 0
    invalid: int = 0
    failed: int = 0
    errors: int = 0
    timed_out: int = 0
    unchanged: int = 0  # records whose every output was already there, byte for byte
    refused: int = 0  # records not written: a different file has an output's name
    stopped: str | None = None

    def add(self, outcome: Outcome) -> None:
        if outcome.status is None:
            self.invalid += 1
        elif outcome.status == "refused":
            self.refused += 1
        elif outcome.outputs and len(outcome.unchanged) == len(outcome.outputs):
            self.unchanged += 1
        elif outcome.status == "plan":
            self.plans += 1
        elif outcome.status == "failed":
            self.failed += 1
        elif outcome.status == "error":
            self.errors += 1
        elif outcome.status == "timed_out":
            self.timed_out += 1
        elif outcome.status == "stopped":
            pass  # not a record: why the batch stopped
        else:
            self.referrals += 1
        self.stopped = self.stopped or outcome.stop

    def summary(self) -> dict:
        return {"plans": self.plans, "referrals": self.referrals, "invalid": self.invalid, "failed": self.failed,
                "errors": self.errors, "timed_out": self.timed_out, "unchanged": self.unchanged,
                "refused": self.refused, "stopped": self.stopped}

    def exit_code(self) -> int:
        """3 when plan-gen itself failed on a record (or one ran past its time limit), 1 for the user's inputs or
        folders, else 0."""
        if self.errors or self.timed_out:
            return 3
        return 1 if self.invalid or self.failed or self.refused or self.stopped else 0


def render(plan, fmt: str, pdf: PdfOptions, answers=None, catalogue=None) -> tuple[bytes | None, list[str]]:
    """One output's bytes (None: nothing to write), and any warnings about text that could not print.
    `answers` feed the clinician's copy, when asked for; `catalogue` is the one the plan was made from."""
    if fmt == "json":  # with how it prints, so a check-in's next block prints the same way
        return plan_json_bytes(plan, pdf.printed()), []
    if fmt in exchange.FORMATS:
        return exchange.render(plan, fmt, pdf.session_time)
    from planner.pdf.render import render_pdf  # here: a JSON-only run never loads reportlab

    return render_pdf(plan, catalogue or shipped_catalogue(), page_size=pdf.page_size, large_print=pdf.large_print,
                      clinic=pdf.clinic, clinician_answers=answers if pdf.clinician_copy else None)


def write_pdf(plan, target: Path, pdf: PdfOptions, answers=None, catalogue=None) -> list[str]:
    """Write one plan's PDF atomically; return warnings about text that could not print."""
    data, warnings = render(plan, "pdf", pdf, answers, catalogue)
    write_atomic(target, data)
    return warnings


def check_data(data: DataSource | None = None) -> None:
    """Load and check the rules and catalogue, and compile them, once, before any record or worker.

    A broken data file raises `DataError` here, naming the file and rule, instead of failing in
    every worker.
    """
    engine_for((data or DataSource()).load_rulebook())


Staged = list[tuple[str, Path]]  # (temporary file, its target): written, not yet durable nor in place


@dataclass(frozen=True)
class Task:
    record: Record
    out_dir: str
    formats: tuple[str, ...]
    today: dt.date
    pdf: PdfOptions
    tag: str = RUN_TAG  # the run's temporary-file tag, the same in every worker
    data: DataSource = DataSource()  # the rules and catalogue folders (--rules, --catalogue): each worker loads them
    overwrite: bool = False  # --overwrite: replace an existing output (else never; see `no_replace`)

    def make(self, staged: Staged | None = None, group: WriteGroup | None = None) -> Outcome:
        """Read, plan and write this record. `run_chunk` calls this, so another kind of task (a
        check-in: `planner.checkin_batch`) runs in the same workers, with the same guarantees."""
        return _make(self, staged, group)


def _make(task: Task, staged: Staged | None = None, group: WriteGroup | None = None) -> Outcome:
    """Plan one record and write its outputs: in place and durable, or (`staged`, in `group`) under
    temporary names, not yet durable."""
    checked = check_record(task.record)
    if not checked.ok:
        return Outcome(task.record.source, None, problems=checked.problems)
    rulebook, catalogue = task.data.pair()
    plan = make_plan(checked.answers, task.today, rulebook, catalogue)
    warnings: list[str] = []
    outputs = []
    for fmt in task.formats:
        target = Path(task.out_dir) / f"{task.record.stem}.{exchange.suffix(fmt)}"
        data, found = render(plan, fmt, task.pdf, checked.answers, catalogue)
        warnings += [f"{task.record.source}: {w}" for w in found]
        if data is None:
            continue
        if staged is None or group is None:
            write_atomic(target, data, tag=task.tag)
        else:
            staged.append((group.write(target, data, tag=task.tag), target))
        outputs.append(str(target))
    return Outcome(task.record.source, plan.status, tuple(outputs), warnings=tuple(warnings))


def _failed(source: str, exc: OutputError) -> Outcome:
    return Outcome(source, "failed", problems=(Problem(source, "", str(exc)),),
                   stop="the disk is full" if exc.disk_full else None)


def _timed_out(source: str, seconds: float) -> Outcome:
    message = (f"took longer than {seconds:g} s; stopped, and none of its files were written (the other records go "
               "on). Check that it can be read and the output folder written (a network folder that does not "
               "answer?), then make it again alone; if it stops again, report it as a bug in plan-gen with this record")
    return Outcome(source, "timed_out", problems=(Problem(source, "", message),))


def _attempt(task: Task, staged: Staged | None = None, group: WriteGroup | None = None,
             timeout: float | None = None) -> Outcome:
    source = task.record.source
    try:
        with time_limit(timeout):
            return task.make(staged, group)
    except TimedOut as exc:
        return _timed_out(source, exc.seconds)
    except OutputError as exc:
        return _failed(source, exc)
    except Exception as exc:  # a bug: this record's, not the batch's
        detail = str(exc).splitlines()[0] if str(exc) else ""
        message = (f"internal error ({type(exc).__name__}: {detail}) while making {task.record.stem}; this is a bug "
                   "in plan-gen, please report it with this record")
        if os.environ.get("PLAN_GEN_DEBUG"):
            message += "\n" + traceback.format_exc()
        return Outcome(source, "error", problems=(Problem(source, "", message),))


def _discard(staged: Staged) -> None:
    for tmp, _ in staged:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def run_chunk(tasks: tuple[Task, ...], timeout: float | None = None) -> list[Outcome]:
    """A worker's share (or --jobs 1's next group, or one record retried alone): each record made, but the group's
    files made durable together, with one flush, before any is renamed into place (an fsync per file cost
    0.3 ms of wall time each). After a full disk the rest are not tried. `timeout` limits each record, and
    then the group's flush and renames together."""
    made: list[tuple[Outcome, Staged]] = []
    overwrite = any(getattr(task, "overwrite", False) for task in tasks)  # one run's tasks all share --overwrite
    with backstop(timeout), WriteGroup() as group:
        for task in tasks:
            staged: Staged = []
            outcome = _attempt(task, staged, group, timeout)
            settle()  # after the first record everything a run uses is loaded (planner/collector.py)
            if outcome.status in ("failed", "error", "timed_out"):  # nothing of a record that did not finish
                _discard(staged)
                staged = []
            made.append((outcome, staged))
            if outcome.stop:
                break
        outcomes: list[Outcome] = []
        try:
            with time_limit(timeout):
                _put_in_place(made, group, outcomes, overwrite)
        except TimedOut as exc:  # the flush or a rename is stuck: the records not yet in place are not written
            if not any(o.stop for o in outcomes):
                outcomes += _not_written(made[len(outcomes):], lambda source, s=exc.seconds: _timed_out(source, s))
        return outcomes


def _not_written(made: list[tuple[Outcome, Staged]], because: Callable[[str], Outcome]) -> list[Outcome]:
    """Records whose files will not be put in place: their staged files removed, and each record that had
    files to write reported `because` (one with none, an invalid input or one that failed, keeps its outcome)."""
    for _, staged in made:
        _discard(staged)
    return [because(outcome.source) if staged else outcome for outcome, staged in made]


def _put_in_place(made: list[tuple[Outcome, Staged]], group: WriteGroup, outcomes: list[Outcome],
                  overwrite: bool = False) -> None:
    """One flush for every staged file, then the renames, record by record, in order; each record's outcome
    is appended to `outcomes` once its files are in place (or known not to be). Never over a file unless
    `overwrite`: see `_place`."""
    try:
        group.flush()
    except OutputError as exc:  # none of the group is known to be on disk: none is put in place
        outcomes += _not_written(made, lambda source, e=exc: _failed(source, e))
        return
    folders: set[Path] = set()
    for index, (outcome, staged) in enumerate(made):
        placed: list[Path] = []
        try:
            outcome = _place(outcome, staged, placed, overwrite)
            folders.update(target.parent for target in placed)
        except (OutputError, TimedOut) as exc:
            _discard(staged)  # this record's files not yet renamed
            for target in placed:  # and those it put in place just now (never over a file): none of a failed record
                with contextlib.suppress(OSError):
                    os.unlink(target)
            if isinstance(exc, TimedOut):
                raise  # run_chunk reports this record and the rest as not written
            outcome = _failed(outcome.source, exc)
        outcomes.append(outcome)
        if outcome.stop:
            for _, later in made[index + 1:]:
                _discard(later)
            break
    sync_folders(folders)


def _place(outcome: Outcome, staged: Staged, placed: list[Path], overwrite: bool) -> Outcome:
    """Put one record's staged files in place, appending to `placed` each one newly put there. Unless
    `overwrite`, never over a file: one already there with the same bytes is left (`unchanged`); when one
    differs, every file of the record is still looked at, so all in the way are named, then the record's new
    files are taken away again (none of a refused record) and it is reported "refused"."""
    unchanged: list[str] = []
    refused: list[ExistingFile] = []
    for tmp, target in staged:
        try:
            if not place_new(tmp, target, overwrite=overwrite):
                unchanged.append(str(target))
                continue
        except ExistingFile as exc:
            refused.append(exc)
            continue
        placed.append(target)
    if refused:
        for target in placed:  # put there just now by this record, never over a file
            with contextlib.suppress(OSError):
                os.unlink(target)
        placed.clear()
        source = outcome.source
        return Outcome(source, "refused", warnings=outcome.warnings, problems=tuple(
            Problem(source, "", refusal(exc.path, exc.advice, "it was left as it is, and this record was not written"))
            for exc in refused))
    return replace(outcome, unchanged=tuple(unchanged)) if unchanged else outcome


# The environment a worker must share with its parent (the forkserver that forks workers may be older
# than a change to it): the PDF's date and the debug switch.
SHARED_ENV = ("SOURCE_DATE_EPOCH", "PLAN_GEN_DEBUG", "PLAN_GEN_RULES", "PLAN_GEN_CATALOGUE")


def _warm_up(env: dict[str, str | None]) -> None:
    """Worker start: take the parent's settings, load the data and build this process's durable_rules host."""
    in_worker()
    hold_during_start()  # until the worker's first record, as in a command (planner/collector.py)
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    engine_for(choose().load_rulebook())  # a --rules folder not named in the environment loads with its first task


def _context():
    import multiprocessing  # here, as the pool's other imports: one input (--jobs or not) never starts a pool

    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["planner.batch", "planner.pdf.render"])  # workers start with these imported
        _start_forkserver()
        return context
    return multiprocessing.get_context("spawn")


def _start_forkserver() -> None:
    """Start the forkserver with PYTHONSAFEPATH set. It runs as `python -c`, which puts the working folder
    first on sys.path and does not apply the parent's: run from a source checkout (the README's quick start),
    its preload imported the checkout's planner, which lacks the installed planner.data, and every worker
    died. A server already running is left as it is."""
    from multiprocessing import forkserver

    saved = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = saved


def _pool(jobs: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    env = {key: os.environ.get(key) for key in SHARED_ENV}
    return ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_warm_up, initargs=(env,))


def run_batch(paths: list[str], out_dir: Path, formats: tuple[str, ...], today: dt.date,
              pdf: PdfOptions | None = None, jobs: int = 1, stdin_path: str | None = None,
              tag: str = RUN_TAG, data: DataSource | None = None, timeout: float | None = None,
              overwrite: bool = False) -> Iterator[Outcome]:
    """Plan every record, yielding outcomes in input order as their files are written; `timeout` limits each
    record (seconds; None or 0: no limit); `overwrite` lets an output replace a file already there.

    Stops after the outcome that carries a `stop` reason (and the records already in flight).
    """
    pdf = pdf or PdfOptions()
    remove_stale_temporaries(out_dir)
    ids: dict[str, str] = {}  # a record's source -> its own id, for the report, while the record is in flight

    def tasks() -> Iterator[Task]:
        for r in records(paths, stdin_path):
            if r.id is not None:
                ids[r.source] = r.id
            yield Task(r, str(out_dir), formats, today, pdf, tag, data or DataSource(), overwrite)

    for outcome in run_tasks(tasks(), out_dir, jobs, tag, timeout):
        record_id = ids.pop(outcome.source, None)  # a "stopped" outcome belongs to no record: None
        yield outcome if record_id is None else replace(outcome, id=record_id)


def run_tasks(tasks: Iterator, out_dir: Path, jobs: int = 1, tag: str = RUN_TAG,
              timeout: float | None = None) -> Iterator[Outcome]:
    """Make each task (anything with `make`, such as a `Task` or a check-in's), in this process in groups or
    in `jobs` workers, yielding outcomes in input order; the run's temporary files go at the end, whatever
    happens. Stops after the outcome that carries a `stop` reason (and the records already in flight).
    A task that runs longer than `timeout` seconds is stopped and reported as "timed_out"."""
    try:
        if jobs <= 1:
            while chunk := tuple(itertools.islice(tasks, CHUNK_PER_JOB)):
                for outcome in run_chunk(chunk, timeout):
                    yield outcome
                    if outcome.stop:
                        return
        else:
            yield from _in_workers(tasks, jobs, timeout)
    finally:
        remove_temporaries(out_dir, tag)


def _in_workers(tasks: Iterator[Task], jobs: int, timeout: float | None) -> Iterator[Outcome]:
    from concurrent.futures.process import BrokenProcessPool

    window = jobs * CHUNK_PER_JOB // CHUNK  # chunks in flight
    chunks = iter(lambda: tuple(itertools.islice(tasks, CHUNK)), ())
    pool = _pool(jobs)
    pending: deque[tuple[tuple[Task, ...], Future]] = deque()
    deaths = 0
    stopping = False
    try:
        while True:
            while not stopping and len(pending) < window and (chunk := next(chunks, ())):
                pending.append((chunk, pool.submit(run_chunk, chunk, timeout)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                held = [(chunk, future), *pending]
                pending.clear()
                for outcome, died in _one_at_a_time(held, timeout):
                    deaths += died
                    yield outcome
                    stopping = stopping or bool(outcome.stop)
                if deaths >= MAX_WORKER_DEATHS:
                    yield Outcome("(batch)", "stopped", stop=f"worker processes died {deaths} times",
                                  problems=(Problem("(batch)", "", f"worker processes died {deaths} times, so the "
                                                    "batch stopped; is something killing them (memory limits?)"),))
                    return
                pool = _pool(jobs)
                continue
            for outcome in outcomes:
                yield outcome
                stopping = stopping or bool(outcome.stop)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _one_at_a_time(held: list[tuple[tuple[Task, ...], Future]], timeout: float | None
                   ) -> Iterator[tuple[Outcome, int]]:
    """After a worker died: each record it may have held, made again alone, so only the one that
    kills its worker is reported as failed. Yields (outcome, 1 if a worker died on it). A worker that
    dies after `timeout` seconds on its record was ended by the watchdog's backstop (stuck where it could
    not be stopped): that record is reported as timed out, and is not counted as a death."""
    import time
    from concurrent.futures.process import BrokenProcessPool

    solo: ProcessPoolExecutor | None = None
    try:
        for chunk, future in held:
            if future.done() and not future.cancelled() and future.exception() is None:
                for outcome in future.result():
                    yield outcome, 0
                continue
            for task in chunk:
                solo = solo or _pool(1)
                started = time.monotonic()
                try:
                    yield solo.submit(run_chunk, (task,), timeout).result()[0], 0  # a group: none of a stopped one
                except BrokenProcessPool:
                    solo.shutdown(wait=True)
                    solo = None
                    source = task.record.source
                    if timeout and time.monotonic() - started >= timeout:
                        yield _timed_out(source, timeout), 0
                    else:
                        yield Outcome(source, "failed", problems=(Problem(source, "", WORKER_DIED),)), 1
    finally:
        if solo is not None:
            solo.shutdown(wait=True)
