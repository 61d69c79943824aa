"""Faults injected on purpose: broken data, dying workers, crashing records, full and read-only disks.

What must hold: nothing hangs, no record costs another, the summary and the
report are always written, and a user's files are never removed or replaced.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import BASE_ANSWERS, EXAMPLES, REPO, answers_with
from planner import batch as batch_module
from planner import jsonio
from planner.cli import cli

# validate accepted each of these, and batch crashed on it and lost every later record (issue 18).
CRASHERS = [
    answers_with(id="weeks_float", **{"plan.weeks": 6.0}),
    answers_with(id="days_float", **{"plan.days_per_week": 5.0}),
    answers_with(id="far_date", **{"plan.start_date": "9999-12-31"}),
    answers_with(id="tiny_hours", **{"posture.sitting_hours": 0.00001}),
    answers_with(id="surrogate", name="\ud800"),
]


def jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def batch(runner, *args: str):
    return runner.invoke(cli, ["batch", *args])


def test_the_five_crash_inputs_are_planned_or_refused_and_the_rest_go_on(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    jsonl(tmp_path / "c.jsonl", [*CRASHERS, answers_with(id="plain", **{"plan.weeks": 6, "plan.days_per_week": 5})])
    validated = runner.invoke(cli, ["validate", "c.jsonl"])
    result = batch(runner, "c.jsonl", "-o", "out", "--format", "json", "-j", "1", "--report", "r.json")
    assert result.exit_code == 1, result.output
    assert "Internal error" not in result.output and "internal error" not in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "days_float.json", "plain.json", "tiny_hours.json", "weeks_float.json"]
    # validate and batch agree on every record
    assert "c.jsonl:3: at plan.start_date" in validated.output and "c.jsonl:3: at plan.start_date" in result.output
    assert "c.jsonl:5: at name: the text holds a broken character" in validated.output
    assert validated.output.count(": valid") == 4
    # 6.0 is 6 everywhere: the same plan
    plan = json.loads((tmp_path / "out" / "weeks_float.json").read_text())
    assert len(plan["weeks"]) == 6
    assert len(plan["weeks"][0]["sessions"]) == 5
    text = (tmp_path / "r.json").read_text()
    report = json.loads(text)
    assert [r["status"] for r in report["inputs"]] == ["plan", "plan", "invalid", "plan", "invalid", "plan"]
    assert text == jsonio.canonical_json(report)  # written entry by entry, yet in the one canonical form


def test_a_bug_in_one_record_costs_only_that_record(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    real = batch_module.make_plan

    def fails_at_77(answers, today, *data):
        if answers["age"] == 77:
            raise KeyError("boom")
        return real(answers, today, *data)

    monkeypatch.setattr(batch_module, "make_plan", fails_at_77)
    jsonl(tmp_path / "p.jsonl", [answers_with(id=f"p{i}", age=77 if i == 2 else 40) for i in range(5)])
    result = batch(runner, "p.jsonl", "-o", "out", "--format", "json", "-j", "1", "--report", "r.json")
    assert result.exit_code == 3
    assert "p.jsonl:3: internal error (KeyError: 'boom') while making p2; this is a bug in plan-gen" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p0.json", "p1.json", "p3.json", "p4.json"]
    assert "4 plans written, 0 referrals, 0 invalid inputs, 1 internal error (a bug in plan-gen)" in result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert [r["status"] for r in report["inputs"]] == ["plan", "plan", "error", "plan", "plan"]
    assert report["summary"]["errors"] == 1 and report["summary"]["plans"] == 4


def _fail_writes_in(folder: Path, code: int, after: int, monkeypatch) -> None:
    """Putting a file in place in `folder` (a link, or a rename with --overwrite) fails with `code` from the
    (after+1)-th output on (tests run as root, so chmod cannot make a folder read-only)."""
    seen = {"n": 0}

    def failing(real):
        def put(src, dst):
            if Path(dst).parent == folder:
                seen["n"] += 1
                if seen["n"] > after:
                    raise OSError(code, os.strerror(code), str(dst))
            return real(src, dst)
        return put

    for name in ("link", "replace"):
        monkeypatch.setattr(jsonio.os, name, failing(getattr(os, name)))


def test_disk_full_stops_cleanly_with_the_report(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    _fail_writes_in(out.resolve(), errno.ENOSPC, 3, monkeypatch)
    jsonl(tmp_path / "p.jsonl", [answers_with(id=f"p{i:02}") for i in range(20)])
    result = batch(runner, str(tmp_path / "p.jsonl"), "-o", str(out), "--format", "json", "-j", "1",
                   "--report", "r.json")
    assert result.exit_code == 1
    assert f"cannot write {out / 'p03.json'}: the disk is full; free some space and run again" in result.output
    assert "Stopped early (the disk is full): 16 records not tried." in result.output
    assert "Internal error" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["p00.json", "p01.json", "p02.json"]  # no temporary file left
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["stopped"] == "the disk is full" and report["summary"]["not_tried"] == 16
    assert [r["status"] for r in report["inputs"]] == ["plan"] * 3 + ["failed"]


def test_one_output_that_cannot_be_written_is_reported_and_the_rest_go_on(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    def failing(real):
        def put(src, dst):
            if Path(dst).name == "p1.json":
                raise PermissionError(errno.EACCES, "Permission denied", str(dst))
            return real(src, dst)
        return put

    for name in ("link", "replace"):  # the put-in-place: a link, never over a file (a rename with --overwrite)
        monkeypatch.setattr(jsonio.os, name, failing(getattr(os, name)))
    jsonl(tmp_path / "p.jsonl", [answers_with(id=f"p{i}") for i in range(3)])
    result = batch(runner, "p.jsonl", "-o", "out", "--format", "json", "-j", "1")
    assert result.exit_code == 1
    assert "p.jsonl:2: cannot write out/p1.json: permission denied; choose a folder you may write to" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p0.json", "p2.json"]
    assert "1 record not written" in result.output


def test_read_only_output_folder_is_a_user_error_before_any_work(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()

    def read_only(*_args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(kwargs.get("dir")))

    monkeypatch.setattr(jsonio.tempfile, "mkstemp", read_only)
    result = batch(runner, str(EXAMPLES / "minimal.json"), "-o", "out")
    assert result.exit_code == 1
    assert result.output == "Error: cannot write out: the file system is read-only; choose a folder you may write " \
                            "to\n"


@pytest.mark.parametrize("make", ["file", "dangling"])
def test_output_folder_that_cannot_be_a_folder(runner, tmp_path, monkeypatch, make):
    monkeypatch.chdir(tmp_path)
    if make == "file":
        (tmp_path / "taken").write_text("x")
        target = "taken/sub"
    else:
        (tmp_path / "taken").symlink_to(tmp_path / "nowhere")
        target = "taken"
    result = batch(runner, str(EXAMPLES / "minimal.json"), "-o", target)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot write {target}: ")
    assert "bug" not in result.output


def test_cleanup_removes_only_this_runs_temporary_files(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    mine_before = out / f".minimal.pdf.{batch_module.RUN_TAG}.x.tmp"
    keep = [out / ".notes.tmp", out / ".minimal.pdf.plan-gen-1-deadbeef.abc.tmp", out / ".a.tmp"]
    for path in [*keep, mine_before]:
        path.write_text("x")
    outcomes = list(batch_module.run_batch([str(EXAMPLES / "minimal.json")], out, ("pdf",), dt.date(2026, 11, 26)))
    assert [o.status for o in outcomes] == ["plan"]
    assert all(p.read_text() == "x" for p in keep)  # a user's file, another run's file in flight
    assert not mine_before.exists()


def test_a_killed_runs_leftovers_go_on_the_next_run_and_a_live_runs_stay(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = out / f".a.pdf.{jsonio.TEMP_MARK}{jsonio.HOST}-{dead.stdout.strip()}-0badc0de.x1.tmp"
    live = out / f".a.pdf.{jsonio.TEMP_MARK}{jsonio.HOST}-{os.getppid()}-0badc0de.x2.tmp"
    for path in (stale, live):
        path.write_text("x")
    list(batch_module.run_batch([str(EXAMPLES / "minimal.json")], out, ("json",), dt.date(2026, 11, 26)))
    assert not stale.exists()
    assert live.read_text() == "x"


def test_byte_order_mark_on_json_lines_and_stdin(runner, tmp_path):
    line = json.dumps(BASE_ANSWERS).encode()
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line + b"\n" + line + b"\n")
    assert runner.invoke(cli, ["validate", str(path)]).output.count(": valid") == 2
    piped = runner.invoke(cli, ["validate", "-"], input=b"\xef\xbb\xbf" + line + b"\n")
    assert piped.exit_code == 0, piped.output


def test_figures_refuses_a_file_name_as_its_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["figures", "--out", "x.json"])
    assert result.exit_code == 1
    assert "--out x.json looks like a file name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_outputs_never_land_on_inputs(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES, tmp_path / "ex")
    before = {p.name: p.read_bytes() for p in (tmp_path / "ex").iterdir() if p.is_file()}
    same_folder = batch(runner, "ex", "--out-dir", "ex", "--format", "json")
    assert same_folder.exit_code == 1
    assert "ex: is also the output folder (--out-dir ex)" in same_folder.output
    one_file = batch(runner, "ex/minimal.json", "--out-dir", "./ex/../ex", "--format", "json")
    assert one_file.exit_code == 1
    assert "ex/minimal.json: its output ex/../ex/minimal.json would replace an input file" in one_file.output
    report = batch(runner, "ex", "--out-dir", "out", "--report", "ex/minimal.json")
    assert report.exit_code == 1
    assert "--report names an input or an output of this batch" in report.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "ex").iterdir() if p.is_file()} == before
    assert not (tmp_path / "out").exists()


def test_an_invalid_record_does_not_clash_with_a_valid_one(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    jsonl(tmp_path / "p.jsonl", [answers_with(id="same"), {**BASE_ANSWERS, "id": "same", "age": 3},
                                 answers_with(id="other")])
    result = batch(runner, "p.jsonl", "-o", "out", "--format", "json", "-j", "1")
    assert result.exit_code == 1
    assert "p.jsonl:2: at age: got 3" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["other.json", "same.json"]


@pytest.mark.parametrize("value", ["soon", "99999999999999999999", "-5"])
def test_a_bad_source_date_epoch_is_a_user_error(runner, tmp_path, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = batch(runner, str(EXAMPLES / "minimal.json"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"SOURCE_DATE_EPOCH is '{value}'; it must be whole seconds since 1970-01-01" in result.output


def test_empty_folder_and_missing_suffix(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = batch(runner, "empty")
    assert result.exit_code == 1
    assert result.output == "Error: no answers files found: empty holds no .json files\n"
    (tmp_path / "ann.json").write_text(json.dumps(BASE_ANSWERS))
    result = runner.invoke(cli, ["validate", "ann"])
    assert 'ann: no such file (did you mean "ann.json"?)' in result.output


# --- in real processes: the pool, its workers and the data they load -----------------------------------


def _installed_copy(tmp_path: Path) -> Path:
    """plan-gen laid out as installed, with data a clinician can break (workers import this copy too)."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "planner", site / "planner", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", site / "planner" / "data" / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "catalogue", site / "planner" / "data" / "catalogue")
    return site


def _plan_gen(site: Path | None, *args: str, cwd: Path, timeout: float = 60, **kw):
    env = {**os.environ, "PYTHONPATH": str(site)} if site else dict(os.environ)
    return subprocess.Popen([sys.executable, "-c", "from planner.cli import main; main()", *args], cwd=cwd,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_broken_rules_with_workers_fail_fast_with_the_same_message(tmp_path):
    site = _installed_copy(tmp_path)
    rules = site / "planner" / "data" / "rules" / "30_choice.json"
    data = json.loads(rules.read_text())
    data["rules"][0]["then"] = [{"include": {"exercises": ["no_such_move"]}}]
    rules.write_text(json.dumps(data))
    jsonl(tmp_path / "p.jsonl", [answers_with(id=f"p{i}") for i in range(8)])
    messages = []
    for jobs in ("1", "2"):
        started = time.monotonic()
        child = _plan_gen(site, "batch", "p.jsonl", "-o", "out", "-j", jobs, cwd=tmp_path)
        out, err = child.communicate(timeout=60)
        assert child.returncode == 1, err
        assert time.monotonic() - started < 30
        messages.append(err)
    assert messages[0] == messages[1]
    assert 'include.exercises: "no_such_move" is not in the catalogue' in messages[0]
    assert "Traceback" not in messages[0]
    assert not (tmp_path / "out").exists()


def _descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, depth below `pid`) of every process under it, read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier, depth = [], [pid], 0
    while frontier:
        depth += 1
        frontier = [p for p, parent in parents.items() if parent in frontier]
        found += [(p, depth) for p in frontier]
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_a_killed_worker_does_not_hang_the_batch(tmp_path):
    jsonl(tmp_path / "p.jsonl", [answers_with(id=f"p{i:02}") for i in range(16)])
    child = _plan_gen(None, "batch", "p.jsonl", "-o", "out", "-j", "2", "--report", "r.json", cwd=tmp_path)
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:  # forkserver workers are the grandchildren
        time.sleep(0.2)
        workers = [p for p, depth in _descendants(child.pid) if depth == 2]
    assert workers, "no worker process was started"
    os.kill(workers[0], signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    assert child.returncode in (0, 1), err
    report = json.loads((tmp_path / "r.json").read_text())
    assert len(report["inputs"]) == 16
    assert {r["status"] for r in report["inputs"]} <= {"plan", "failed"}
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(r["outputs"][0].rsplit("/", 1)[1] for r in report["inputs"] if r["status"] == "plan")
    assert "Traceback" not in err


# --- the property: whatever validate accepts, batch makes into a plan or a referral ----------------------

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from planner.answers import answers_schema, check_answers  # noqa: E402
from planner.inputs import Record, check_record  # noqa: E402

# Values at the edges the issue found: integral floats, floats Python prints with an exponent, far dates,
# lone surrogates.
TINY = st.sampled_from([0.00001, 1e-300, 5e-5, 0.005, 23.999999, 1e-4])
TEXT = st.text(st.characters(exclude_categories=()), min_size=1, max_size=12) | st.text(min_size=1, max_size=12)
DATES = (st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(lambda d: d.isoformat())
         | st.sampled_from(["9999-12-31", "2099-12-31", "2000-01-01", "2100-01-01", "1999-12-31"]))


def near(schema: dict) -> st.SearchStrategy:
    """Documents shaped by the answers schema, pushed to the edges a file can reach."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":  # mostly false: a warning sign gives a referral, which lays out no weeks
        return st.sampled_from([False] * 15 + [True])
    if kind == "integer":
        ints = st.integers(schema["minimum"], schema["maximum"])
        return ints | ints.map(float)
    if kind == "number":
        return st.floats(schema["minimum"], schema["maximum"]) | TINY
    if kind == "string":
        return DATES if schema.get("format") == "date" else TEXT
    if kind == "array" and "enum" not in schema["items"]:  # a list of objects (activities): one past the limit too
        return st.lists(near(schema["items"]), max_size=schema["maxItems"] + 1)
    if kind == "array":
        return st.lists(st.sampled_from(schema["items"]["enum"]), unique=True)
    required = set(schema.get("required", ()))
    fields = {k: near(v) if k in required else st.just(ABSENT) | near(v) | near(v)  # present 2 times in 3
              for k, v in schema["properties"].items()}
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not ABSENT})


ABSENT = object()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(near(answers_schema()))
@example(CRASHERS[0])
@example(CRASHERS[1])
@example(CRASHERS[2])
@example(CRASHERS[3])
@example({**CRASHERS[4], "id": "surrogate"})
def test_whatever_validate_accepts_batch_turns_into_a_plan_or_referral(tmp_path, doc):
    line = json.dumps(doc)
    record = Record("h.jsonl:1", "h", str(tmp_path / "h.jsonl"), 1, line)
    accepted = check_record(record).ok
    out = tempfile.mkdtemp(dir=tmp_path)  # each example its own folder: one's plan is never over another's
    task = batch_module.Task(record, out, ("json", "pdf"), dt.date(2026, 11, 26), batch_module.PdfOptions())
    outcome, = batch_module.run_chunk((task,))
    assert outcome.status in (("plan", "see_professional", "urgent_care") if accepted else (None,)), outcome.problems


# --- rules and settings checked for meaning when loaded -------------------------------------------------

from conftest import add_rule  # noqa: E402
from planner.catalogue import shipped_catalogue  # noqa: E402
from planner.engine import DurableMatcher as RuleEngine  # noqa: E402
from planner.errors import DataError  # noqa: E402
from planner.rules import load_rulebook  # noqa: E402


def _problems(folder: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_rulebook(shipped_catalogue(), folder)
    return [str(p).replace(str(folder), "R") for p in info.value.problems]


def _edit_settings(folder: Path, change) -> None:
    path = folder / "settings.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _rule(rid: str, when: dict, then: list[dict]) -> dict:
    return {"id": rid, "because": "A reason long enough to print.", "when": when, "then": then}


@pytest.mark.parametrize(("days", "count"), [([], 0), ([0, 3], 2)])
def test_session_days_must_hold_as_many_days_as_sessions(rules_copy, days, count):
    _edit_settings(rules_copy, lambda s: s["session_days"].__setitem__("5", days))
    assert _problems(rules_copy) == [
        f"R/settings.json: at session_days.5: lists {count} days for 5 sessions a week; list 5 different weekdays "
        "(0 Monday to 6 Sunday)"]


def test_referral_cautions_must_exist(rules_copy):
    _edit_settings(rules_copy, lambda s: s["referral_cautions"].append("urgnet_signs"))
    (problem,) = _problems(rules_copy)
    assert problem.startswith('R/settings.json: at referral_cautions: "urgnet_signs" is not a caution in the '
                              "catalogue; cautions: ")


def test_an_inclusion_that_ends_before_it_starts(rules_copy):
    add_rule(rules_copy, "30_choice.json", _rule("late_start", {"always": True}, [
        {"include": {"exercises": ["plank"], "from_phase": "strengthen", "until_phase": "build"}}]))
    assert _problems(rules_copy) == [
        'R/30_choice.json: at rule late_start: then: include: until_phase "build" is not after from_phase '
        '"strengthen", so the exercises would never be in the plan']


def test_a_rule_that_excludes_every_exercise(rules_copy):
    every = sorted(shipped_catalogue().exercises)
    add_rule(rules_copy, "20_constraints.json", _rule("nothing_left", {"fact": "age", "at_least": 18},
                                                      [{"exclude": {"exercises": every}}]))
    assert _problems(rules_copy) == [
        "R/20_constraints.json: at rule nothing_left: then: exclude: this rules out every exercise in the catalogue, "
        "which would leave a plan with no exercises; to stop the plan, use set_status instead"]


def test_deep_conditions_are_refused_with_the_rule_named(rules_copy):
    cond: dict = {"fact": "age", "at_least": 30}
    for _ in range(200):
        cond = {"all": [cond]}
    add_rule(rules_copy, "30_choice.json", _rule("deep", cond, [{"add_advice": {"advice": ["sitting"]}}]))
    (problem,) = _problems(rules_copy)
    assert problem.startswith("R/30_choice.json: not valid JSON") or problem.startswith("R/30_choice.json: the JSON "
                                                                                         "is nested more than 32")
    cond = {"fact": "age", "at_least": 30}
    for _ in range(12):  # under the JSON limit, over durable_rules' (its error 113 names no rule)
        cond = {"any": [cond]}
    data = json.loads((rules_copy / "30_choice.json").read_text())
    data["rules"][-1]["when"] = cond
    (rules_copy / "30_choice.json").write_text(json.dumps(data))
    assert _problems(rules_copy) == [
        "R/30_choice.json: at rule deep: when" + ".any[0]" * 8 + ": conditions nest more than 8 levels of all/any; "
        "write the rule flatter, or split it into several rules"]


def test_a_number_durable_rules_cannot_read_names_the_rule(rules_copy):
    add_rule(rules_copy, "30_choice.json", _rule("tiny", {"fact": "posture.sitting_hours", "above": 0.00001},
                                                 [{"add_advice": {"advice": ["sitting"]}}]))
    assert _problems(rules_copy) == [
        "R/30_choice.json: at rule tiny: when: posture.sitting_hours: write 1e-05 with at most two decimal places"]


def test_the_deepest_allowed_condition_compiles_in_durable_rules(rules_copy):
    cond: dict = {"fact": "age", "at_least": 30}
    for _ in range(7):
        cond = {"any": [cond, {"fact": "pain.level", "is": 9}]}
    add_rule(rules_copy, "30_choice.json", _rule("deep_ok", cond, [{"add_advice": {"advice": ["sitting"]}}]))
    engine = RuleEngine(load_rulebook(shipped_catalogue(), rules_copy))  # durable_rules accepts the depth limit
    assert "deep_ok" in engine.fired_rules(check_answers(answers_with(age=40), "x"))
    assert "deep_ok" not in engine.fired_rules(check_answers(answers_with(age=20), "x"))


def test_a_file_system_error_anywhere_is_a_user_error(runner, tmp_path, monkeypatch):
    """An OSError no code path expected (here: the input folder cannot be listed) names the path, exit 1."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text(json.dumps(BASE_ANSWERS))

    def denied(self, pattern):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "glob", denied)
    result = runner.invoke(cli, ["validate", "in"])
    assert result.exit_code == 1
    assert result.output == "Error: in: Permission denied; check the path and run again\n"


def test_report_inside_the_output_folder_survives_the_cleanup(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = batch(runner, str(EXAMPLES / "minimal.json"), "-o", "out", "--format", "json", "--report",
                   "out/report.json")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out" / "report.json").read_text())["summary"]["plans"] == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["minimal.json", "report.json"]
