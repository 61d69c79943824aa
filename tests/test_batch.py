"""Batch at scale: JSON Lines, standard input, parallel workers, reports, and nothing lost."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_ANSWERS, EXAMPLES
from planner import batch as batch_module
from planner import jsonio
from planner.answers import todays_date
from planner.cli import cli

EPOCH = {"SOURCE_DATE_EPOCH": "1795651200"}


def jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def person(**extra):
    return {**BASE_ANSWERS, **extra}


def test_jsonl_records_are_named_by_id_or_line_and_bad_lines_reported(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    jsonl(tmp_path / "people.jsonl", [person(id="ann"), person(), '{"age": ', person(id="../../etc/passwd"),
                                      person(id="bob", age=7)])
    result = runner.invoke(cli, ["batch", "people.jsonl", "-o", "out", "--format", "json", "-j", "1"])
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ann.json", "etc_passwd.json", "people-2.json"]
    assert "people.jsonl:3: not valid JSON: Expecting value at line 1, column 8" in result.output
    assert "people.jsonl:5: at age: got 7; allowed: a whole number from 18 to 100" in result.output


def test_jsonl_line_that_is_not_utf8(runner, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(json.dumps(person()).encode() + b"\n" + json.dumps(person(name="Jos\u00e9"),
                                                                        ensure_ascii=False).encode("latin-1") + b"\n")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: the line is not UTF-8 text (bad byte at position" in result.output


def test_stdin_jsonl(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "\n".join(json.dumps(person(id=f"p{i}")) for i in range(3)) + "\n"
    result = runner.invoke(cli, ["batch", "-", "-o", "out", "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p0.json", "p1.json", "p2.json"]


def test_validate_reads_jsonl_too(runner, tmp_path):
    path = jsonl(tmp_path / "x.jsonl", [person(), person(age=3)])
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: at age: got 3; allowed: a whole number from 18 to 100" in result.output


def test_clash_between_ids_stops_before_any_work(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    jsonl(tmp_path / "a.jsonl", [person(id="same"), person(id="SAME")])
    result = runner.invoke(cli, ["batch", "a.jsonl", "-o", "out"])
    assert result.exit_code == 1
    assert "a.jsonl:2: would write out/SAME.pdf, as a.jsonl:1 does" in result.output
    assert not (tmp_path / "out").exists()


def test_same_bytes_with_one_or_two_workers(runner, tmp_path, monkeypatch):
    for key, value in EPOCH.items():
        monkeypatch.setenv(key, value)
    one, two = tmp_path / "one", tmp_path / "two"
    assert runner.invoke(cli, ["batch", str(EXAMPLES), "-o", str(one), "--format", "both", "-j", "1"]).exit_code == 0
    assert runner.invoke(cli, ["batch", str(EXAMPLES), "-o", str(two), "--format", "both", "-j", "2"]).exit_code == 0
    names = sorted(p.name for p in one.iterdir())
    plans = sum(1 for p in one.glob("*.json") if json.loads(p.read_text())["status"] == "plan")
    assert plans >= 5
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 20 + plans  # pdf, json; ics for plans
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_report_lists_every_input(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.json").write_text(json.dumps(person()))
    (tmp_path / "bad.json").write_bytes(b"\x00\x01")
    result = runner.invoke(cli, ["batch", "good.json", "bad.json", str(EXAMPLES / "red_flag_urgent.json"),
                                 "-o", "out", "--report", "report.json", "-j", "1"])
    assert result.exit_code == 1
    report = json.loads((tmp_path / "report.json").read_text())
    assert [(r["input"].rsplit("/", 1)[-1], r["status"]) for r in report["inputs"]] == [
        ("good.json", "plan"), ("bad.json", "invalid"), ("red_flag_urgent.json", "urgent_care")]
    assert report["inputs"][1]["problems"] == [
        {"location": "", "message": "the file holds binary data, not text; expected a JSON object"}]
    assert report["summary"]["plans"] == 1 and report["summary"]["invalid"] == 1


def test_no_progress_bar_when_not_a_terminal(runner, tmp_path):
    result = runner.invoke(cli, ["batch", str(EXAMPLES / "minimal.json"), "-o", str(tmp_path)])
    assert "Making plans" not in result.output


def test_interrupted_batch_leaves_no_partial_file(tmp_path, monkeypatch):
    """Ctrl-C in the middle of writing: the half-written file is removed and no target appears."""
    calls = {"n": 0}

    def third_interrupted(real):
        def put(src, dst):
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt
            real(src, dst)
        return put

    for name in ("link", "replace"):  # the put-in-place: a link, never over a file (a rename with --overwrite)
        monkeypatch.setattr(jsonio.os, name, third_interrupted(getattr(os, name)))
    out = tmp_path / "out"
    outcomes = batch_module.run_batch([str(EXAMPLES)], out, ("pdf",), todays_date())
    with pytest.raises(KeyboardInterrupt):
        list(outcomes)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and all(n.endswith(".pdf") and not n.startswith(".") for n in names)


def test_mix_of_good_and_bad_files_writes_all_good_ones(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(4):
        (inputs / f"good{i}.json").write_text(json.dumps(person()))
    good = json.dumps(person())
    (inputs / "truncated.json").write_text(good[: len(good) // 2])
    (inputs / "huge.json").write_text('{"name": "' + "x" * 1_100_000 + '"}')
    (inputs / "deep.json").write_text("[" * 50_000 + "]" * 50_000)
    (inputs / "binary.json").write_bytes(os.urandom(256).replace(b"\x00", b"") + b"\x00")
    (inputs / "latin1.json").write_bytes(json.dumps(person(name="Jos\u00e9"), ensure_ascii=False).encode("latin-1"))
    result = runner.invoke(cli, ["batch", "in", "-o", "out", "--format", "json", "-j", "2"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "Internal error" not in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"good{i}.json" for i in range(4)]
    assert "5 invalid inputs" in result.output


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


def _mutations():
    def mutate(path_value):
        path, value = path_value
        data = json.loads(json.dumps(BASE_ANSWERS))
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return data

    paths = st.sampled_from([("age",), ("pain", "level"), ("pain", "worse_with"), ("red_flags", "saddle_numbness"),
                             ("posture", "sitting_hours"), ("equipment",), ("plan",), ("name",), ("extra",)])
    return st.tuples(paths, json_values).map(mutate)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.one_of(_mutations(), json_values))
def test_any_json_never_causes_a_traceback(runner, tmp_path, data):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(cli, ["batch", str(path), "-o", str(tmp_path / "out"), "--format", "json", "-j", "1"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "Internal error" not in result.output


def test_workers_use_the_installed_planner_when_run_from_a_folder_holding_another(tmp_path):
    """The README's quick start runs `plan-gen batch examples/` from the source checkout. The forkserver runs
    as `python -c`, whose working folder comes first on sys.path: it preloaded the checkout's planner (no
    planner.data there once installed with `pip install .`) and every worker died."""
    import subprocess
    import sys
    from pathlib import Path

    decoy = tmp_path / "planner"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("")
    (decoy / "batch.py").write_text("X = 1\n")  # importable, but not plan-gen's
    script = Path(sys.executable).with_name("plan-gen")
    args = [str(script), "batch", str(EXAMPLES / "minimal.json"), str(EXAMPLES / "office_worker.json"), "-j", "2",
            "-q", "--format", "json", "--out-dir", "out"]
    result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["minimal.json", "office_worker.json"]
