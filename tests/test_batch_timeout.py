"""No input hangs a batch (--timeout): a stuck one is stopped and reported (exit 3), the rest are made.

The hang comes through the real data path: an input that is a named pipe with no writer blocks whoever
opens it, as a file on a network folder that does not answer does. Each run is a real `plan-gen` process
with a time bound, so a run that hangs fails the test instead of hanging the suite."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, answers_with
from planner import batch as batch_module
from planner import jsonio
from planner.cli import cli
from planner.errors import TimedOut
from planner.watchdog import time_limit

PLAN_GEN = str(Path(sys.executable).with_name("plan-gen"))
EPOCH = "1795651200"
STUCK = "took longer than 1 s; stopped, and none of its files were written"
BOUND = 40  # seconds: a run that has not ended by then hangs


@pytest.fixture
def pipe(tmp_path):
    """`stuck.json`: a named pipe nobody writes to. Afterwards a writer opens it once, so a reader still
    blocked on it (a worker of a run that hung) is let go."""
    path = tmp_path / "stuck.json"
    os.mkfifo(path)
    yield path
    with contextlib.suppress(OSError):  # no reader left: nothing to let go
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def bounded(command: list[str], cwd: Path, bound: float = BOUND, interrupt_after: float | None = None,
            env: dict | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """Run a command in its own process group; fail (and end the whole group, workers too) if it runs past
    `bound` seconds."""
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=cwd, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        if interrupt_after is not None:
            time.sleep(interrupt_after)
            os.killpg(child.pid, signal.SIGINT)  # as Ctrl-C in a terminal: to the whole group
        out, err = child.communicate(timeout=bound)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"{' '.join(command)[-300:]} still ran after {bound} s: it hangs")
    return subprocess.CompletedProcess(child.args, child.returncode, out, err), time.monotonic() - started


def plan_gen(*args: str, cwd: Path, **kwargs) -> tuple[subprocess.CompletedProcess, float]:
    return bounded([PLAN_GEN, *args], cwd, **kwargs)


def goods(folder: Path, count: int) -> list[str]:
    for i in range(count):
        (folder / f"good{i}.json").write_text(json.dumps(answers_with(name=f"Person {i}")), encoding="utf-8")
    return [f"good{i}.json" for i in range(count)]


def expected(tmp_path: Path, names: list[str], runner, monkeypatch) -> dict[str, bytes]:
    """Each good input's plan JSON made alone, in a run with nothing stuck."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["batch", *names, "-o", "alone", "--format", "json", "-j", "1"])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in (tmp_path / "alone").iterdir()}


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_stuck_input_is_stopped_and_every_other_one_is_made(tmp_path, pipe, runner, monkeypatch, jobs):
    """With workers the stuck input sits in a chunk with others (4 a chunk): those before and after it in the
    chunk, and the chunks after, are all made, once, with the bytes they have when made alone."""
    names = goods(tmp_path, 7)
    inputs = [*names[:2], pipe.name, *names[2:]]
    result, seconds = plan_gen("batch", *inputs, "-o", "out", "--format", "json", "-j", jobs, "--timeout", "1",
                               "--report", "report.json", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert seconds < 20
    assert f"stuck.json: {STUCK}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "7 plans written, 0 referrals, 0 invalid inputs, 1 record stopped (took longer than --timeout)" in (
        result.stdout)
    made = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}  # nothing else: no temporary file
    assert made == expected(tmp_path, names, runner, monkeypatch)
    report = json.loads((tmp_path / "report.json").read_text())
    assert [(r["input"], r["status"]) for r in report["inputs"]] == [
        (name, "timed_out" if name == "stuck.json" else "plan") for name in inputs]
    stuck = report["inputs"][2]
    assert stuck["outputs"] == [] and stuck["problems"][0]["message"].startswith(STUCK)
    assert report["summary"]["timed_out"] == 1 and report["summary"]["plans"] == 7


def test_one_stuck_input_alone_is_stopped_in_this_process(tmp_path, pipe):
    result, seconds = plan_gen("batch", pipe.name, "-o", "out", "--timeout", "1", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert seconds < 15
    assert f"stuck.json: {STUCK}" in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_ctrl_c_still_ends_a_run_at_once(tmp_path, pipe, jobs):
    goods(tmp_path, 3)
    result, seconds = plan_gen("batch", "good0.json", pipe.name, "good1.json", "-o", "out", "-j", jobs,
                               "--format", "json", "--timeout", "300", cwd=tmp_path, interrupt_after=3, bound=30)
    assert result.returncode == 130, result.stderr
    assert seconds < 15
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def _run_notes(tmp_path: Path, jobs: int, count: int = 10, deaf: int = 5) -> subprocess.CompletedProcess:
    """batch.run_tasks over `hang_tasks.Note`s in a fresh interpreter, with a limit of 1 s."""
    script = ("import sys; from pathlib import Path; from planner import batch; from hang_tasks import notes\n"
              f"out = Path({str(tmp_path / 'out')!r}); out.mkdir()\n"
              f"for o in batch.run_tasks(iter(notes(str(out), {count}, {deaf})), out, {jobs}, timeout=1):\n"
              "    print(o.source, o.status, flush=True)\n")
    result, _ = bounded([sys.executable, "-c", script], tmp_path, env={"PYTHONPATH": str(Path(__file__).parent)})
    return result


def test_a_worker_stuck_where_the_timer_cannot_reach_is_ended_and_replaced(tmp_path):
    """The backstop: the worker is ended, the records it and the other workers held are made again one at a
    time, and the stuck one, stuck again, is reported as timed out; no record is lost or reported twice."""
    result = _run_notes(tmp_path, jobs=2)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"n{i} {'timed_out' if i == 5 else 'plan'}" for i in range(10)]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"n{i}.txt" for i in range(10) if i != 5)


def test_stuck_where_the_timer_cannot_reach_in_this_process_ends_the_run(tmp_path):
    """The one way left not to hang: the process ends (exit 1) with Python's thread dump."""
    started = time.monotonic()
    result = _run_notes(tmp_path, jobs=1, count=3, deaf=1)
    assert result.returncode == 1
    assert time.monotonic() - started < 20
    assert result.stdout.splitlines() == []  # n0 waits in its group of 16, which never finished
    assert "Timeout (0:00:03)!" in result.stderr


def test_a_stuck_flush_or_rename_leaves_the_records_not_yet_in_place_unwritten(tmp_path, monkeypatch):
    people = tmp_path / "p.jsonl"
    people.write_text("".join(json.dumps(answers_with(id=f"p{i}")) + "\n" for i in range(5)), encoding="utf-8")
    calls = {"n": 0}

    def stuck_third(real):
        def put(src, dst):
            calls["n"] += 1
            if calls["n"] == 3:
                time.sleep(30)
            real(src, dst)
        return put

    for name in ("link", "replace"):  # the put-in-place: a link, never over a file (a rename with --overwrite)
        monkeypatch.setattr(jsonio.os, name, stuck_third(getattr(os, name)))
    started = time.monotonic()
    outcomes = list(batch_module.run_batch([str(people)], tmp_path / "out", ("json",), dt.date(2026, 11, 30),
                                           timeout=0.5))
    assert time.monotonic() - started < 10
    assert [o.status for o in outcomes] == ["plan", "plan", "timed_out", "timed_out", "timed_out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p0.json", "p1.json"]


def test_both_batches_pass_their_timeout_to_the_workers(runner, tmp_path, monkeypatch):
    """checkin --batch runs its check-ins through the same run_tasks, so the same limit applies there."""
    seen = []

    def run_tasks(tasks, out_dir, jobs=1, tag="", timeout=None):
        seen.append(timeout)
        return iter(())

    monkeypatch.setattr(batch_module, "run_tasks", run_tasks)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / "c.jsonl").write_text(json.dumps({"plan_id": "minimal"}) + "\n")
    one = ["batch", str(EXAMPLES / "minimal.json")]
    many = ["checkin", "--batch", "plans", "c.jsonl"]
    for args in ([*one, "--timeout", "7"], one, [*many, "--timeout", "2.5"], many):
        assert runner.invoke(cli, args).exit_code == 0
    assert seen == [7.0, 60.0, 2.5, 60.0]


def test_time_limit_stops_a_block_and_puts_back_what_was_there():
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(TimedOut) as info, time_limit(0.2):
        time.sleep(5)
    assert 0.2 <= time.monotonic() - started < 2 and info.value.seconds == 0.2
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with time_limit(0.2):
        pass
    time.sleep(0.4)  # nothing goes off once the block is over
    with time_limit(0):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_checkin_stopped_part_way_leaves_none_of_its_files(tmp_path, monkeypatch):
    """A check-in's next block is written file by file (the PDF, then the JSON) and never over a file: one left
    behind by a stopped check-in would make every later run refuse it."""
    from planner import checkin_batch, checkin_files
    from planner.answers import load_answers
    from planner.build import make_plan
    from planner.render_json import plan_json

    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("minimal", "office_worker"):
        plan = make_plan(load_answers(EXAMPLES / f"{name}.json"), dt.date(2026, 1, 1))
        (plans / f"{name}.json").write_text(plan_json(plan))
    checkin = json.loads((EXAMPLES / "checkins" / "office_worker_week2.json").read_text())
    people = tmp_path / "c.jsonl"
    people.write_text("".join(json.dumps({**checkin, "plan_id": n}) + "\n" for n in ("minimal", "office_worker")))
    real = checkin_files.plan_json_bytes

    def stuck_for_minimal(new, *printed):  # after its PDF is in place
        if new.answers.get("name") is None:  # minimal.json gives no name
            assert (plans / "minimal-block1.pdf").exists()
            time.sleep(30)
        return real(new, *printed)

    monkeypatch.setattr(checkin_files, "plan_json_bytes", stuck_for_minimal)
    started = time.monotonic()
    outcomes = list(checkin_batch.run_checkins([str(people)], plans, plans, "both", 2, dt.date(2026, 1, 15),
                                               timeout=1))
    assert time.monotonic() - started < 10
    assert [(o.source.rsplit("/", 1)[-1], o.status) for o in outcomes] == [("c.jsonl:1", "timed_out"),
                                                                           ("c.jsonl:2", "plan")]
    assert sorted(p.name for p in plans.iterdir()) == ["minimal.json", "office_worker-block1.json",
                                                       "office_worker-block1.pdf", "office_worker.json"]


def test_checkin_batch_stops_a_stuck_checkin_when_read_first_and_when_made(tmp_path, pipe, runner, monkeypatch):
    """checkin --batch reads every check-in before any work (to refuse two of one plan): that read is limited
    too, and the check-in, stuck again when made, is reported."""
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["batch", str(EXAMPLES / "minimal.json"), "-o", "plans", "--format", "json"]
                         ).exit_code == 0
    result, seconds = plan_gen("checkin", "--batch", "plans", pipe.name, "--timeout", "1", "--report", "r.json",
                               cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert seconds < 15
    assert f"stuck.json: {STUCK}" in result.stderr
    assert "0 next blocks written, 0 referrals, 0 invalid check-ins, 1 check-in stopped" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert [(r["input"], r["status"]) for r in report["inputs"]] == [("stuck.json", "timed_out")]
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["minimal.json"]


@pytest.mark.parametrize("command", [["batch", "-", "-o", "out", "--format", "json"],
                                     ["validate", "-"]])
def test_standard_input_from_a_terminal_says_what_it_waits_for(tmp_path, command):
    """`plan-gen batch -` typed with nothing piped in: not a silent wait, but what to type and how to end."""
    import pexpect

    child = pexpect.spawn(PLAN_GEN, command, cwd=str(tmp_path), encoding="utf-8", timeout=30,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    child.expect(r"Reading answers from the terminal, one a line \(JSON Lines\)\. End with Ctrl-D on a line of "
                 r"its own")
    child.sendline(json.dumps(answers_with(id="typed")))
    child.sendeof()
    child.expect("1 plan written" if command[0] == "batch" else "<stdin>:1: valid")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    if command[0] == "batch":
        assert [p.name for p in (tmp_path / "out").iterdir()] == ["typed.json"]


def test_standard_input_from_a_pipe_is_read_without_a_word(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["batch", "-", "-o", "out", "--format", "json"],
                           input=json.dumps(answers_with(id="piped")) + "\n")
    assert result.exit_code == 0, result.output
    assert "Reading" not in result.output


def test_ctrl_c_while_waiting_for_the_terminal_exits_130(tmp_path):
    import pexpect

    spools = tmp_path / "tmp"  # where the copy of standard input goes
    spools.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    child = pexpect.spawn(PLAN_GEN, ["batch", "-", "-o", "out"], cwd=str(work), encoding="utf-8", timeout=30,
                          env={**os.environ, "TMPDIR": str(spools)},
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    child.expect("Ctrl-C stops")
    deadline = time.monotonic() + 20
    while not list(spools.glob("plan-gen-stdin-*")) and time.monotonic() < deadline:  # the copy has begun
        time.sleep(0.05)
    assert list(spools.glob("plan-gen-stdin-*"))
    child.sendintr()
    child.expect("Interrupted; nothing half-written was left behind.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(work.iterdir()) == [] and list(spools.iterdir()) == []


def test_on_a_terminal_each_message_starts_its_own_line_not_the_end_of_the_bar(tmp_path, pipe):
    import pexpect

    goods(tmp_path, 2)
    child = pexpect.spawn(PLAN_GEN, ["batch", "good0.json", pipe.name, "good1.json", "-o", "out", "-j", "1",
                                     "--timeout", "1"], cwd=str(tmp_path), encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    assert "Making plans" in child.before  # the bar was drawn
    assert re.search(r"(\r\x1b\[K|^)stuck\.json: took longer than 1 s", child.before)
