"""The command line: exit codes, exact messages and help text (CliRunner)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import EXAMPLES, REPO
from planner.cli import cli


def _commands():
    return sorted(cli.commands)


def test_top_level_help_lists_every_command(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in _commands():
        assert name in result.output


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    summary = cli.commands[name].get_short_help_str()
    assert len(summary) > 15, f"{name} has no real help text"
    assert summary.rstrip(".") in result.output.replace("\n", " ").replace("  ", " ")


def test_validate_examples(runner):
    result = runner.invoke(cli, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    count = len(list(EXAMPLES.glob("*.json")))
    assert result.output.splitlines()[-1] == f"{count} files checked: {count} valid, 0 invalid."


def test_validate_reports_every_file_and_exits_1(runner, tmp_path, base_answers, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.json").write_text(json.dumps(base_answers))
    base_answers["pain"]["level"] = 12
    (tmp_path / "bad.json").write_text(json.dumps(base_answers))
    (tmp_path / "empty.json").write_text("")
    result = runner.invoke(cli, ["validate", "good.json", "bad.json", "empty.json", "none.json"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "good.json: valid",
        "bad.json: at pain.level: got 12; allowed: a whole number from 0 to 10",
        "empty.json: the file is empty; expected a JSON object",
        "none.json: no such file",
        "4 files checked: 1 valid, 3 invalid.",
    ]
    assert "Traceback" not in result.output


def test_validate_empty_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nothing").mkdir()
    result = runner.invoke(cli, ["validate", "nothing"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "nothing: the folder holds no .json files"


def test_validate_needs_a_file(runner):
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert "Missing argument 'FILES...'" in result.output


def test_catalogue_json(runner):
    result = runner.invoke(cli, ["catalogue", "--format", "json"])
    assert result.exit_code == 0
    entries = json.loads(result.output)
    assert {e["id"] for e in entries} >= {"plank", "bird_dog", "wall_squat"}
    wall = next(e for e in entries if e["id"] == "wall_squat")
    assert wall["equipment"] == ["wall"]
    assert wall["dose"]["hold_seconds"] == [5, 10]


def test_catalogue_table(runner):
    result = runner.invoke(cli, ["catalogue"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["ID", "NAME", "KIND"]
    assert lines[-1] == f"{len(lines) - 2} exercises."
    assert any(line.startswith("plank ") and "10-60 s" in line for line in lines)


def test_schema_prints_answers_contract(runner):
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "plan-gen answers"
    assert "red_flags" in schema["required"]


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("plan-gen, version ")


def test_batch_writes_one_json_per_example(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(EXAMPLES), "--out-dir", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    written = sorted(p.stem for p in out.glob("*.json"))
    assert written == sorted(p.stem for p in EXAMPLES.glob("*.json"))
    last = result.output.splitlines()[-1]
    assert re.fullmatch(r"7 plans written, 3 referrals, 0 invalid inputs, in \d+\.\d s\.", last)
    urgent = json.loads((out / "red_flag_urgent.json").read_text())
    assert urgent["status"] == "urgent_care" and urgent["weeks"] == []
    again = tmp_path / "again"
    runner.invoke(cli, ["batch", str(EXAMPLES), "--out-dir", str(again), "--format", "json"])
    for p in out.glob("*.json"):
        assert p.read_bytes() == (again / p.name).read_bytes()
    assert not list(out.glob(".*.tmp"))


def test_batch_skips_bad_input_and_exits_1(runner, tmp_path, base_answers, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.json").write_text(json.dumps(base_answers))
    (tmp_path / "bad.json").write_text("{")
    result = runner.invoke(cli, ["batch", "bad.json", "good.json", "--out-dir", "out", "--format", "json"])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "good.json").exists()
    assert not (tmp_path / "out" / "bad.json").exists()
    assert "bad.json: not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2" \
        in result.output
    last = result.output.splitlines()[-1]
    assert re.fullmatch(r"1 plan written, 0 referrals, 1 invalid input, in \d+\.\d s\.", last)


def test_batch_refuses_name_clash_before_any_work(runner, tmp_path, base_answers, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.json").write_text(json.dumps(base_answers))
    result = runner.invoke(cli, ["batch", "a", "b", "--out-dir", "out"])
    assert result.exit_code == 1
    assert "b/same.json: would write out/same.pdf, as a/same.json does; rename one of them (or give the records " \
        "distinct ids)" \
        in result.output
    assert not (tmp_path / "out").exists()


def test_explain_traces_exercises_to_rules(runner):
    result = runner.invoke(cli, ["explain", str(EXAMPLES / "office_worker.json")])
    assert result.exit_code == 0, result.output
    assert "long_sitting: You sit for 6 hours or more a day." in result.output
    assert "hip_flexor_stretch: from week 1, priority 2; chosen by long_sitting;" in result.output
    assert "Ruled out or held back:" in result.output


def test_explain_bad_file(runner, tmp_path):
    result = runner.invoke(cli, ["explain", str(tmp_path / "none.json")])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'none.json'}: no such file\n"


BUG_TAIL = (". This is a bug in plan-gen; please report it with the input that caused it "
            "(set PLAN_GEN_DEBUG=1 to see the details).\n")


@pytest.mark.parametrize(("error", "shown"), [(ZeroDivisionError("division by zero\nsecond line"),
                                                "ZeroDivisionError: division by zero"),
                                               (KeyError(), "KeyError: ")], ids=["message", "no_message"])
def test_a_bug_exits_3_with_one_line_on_stderr_and_no_traceback(runner, monkeypatch, error, shown):
    def broken(*_args, **_kwargs):
        raise error

    monkeypatch.setattr("planner.explain.explain", broken)
    monkeypatch.delenv("PLAN_GEN_DEBUG", raising=False)
    result = runner.invoke(cli, ["explain", str(EXAMPLES / "minimal.json")])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == f"Internal error: {shown}{BUG_TAIL}"


def test_ctrl_c_exits_130_with_one_line_on_stderr(runner, monkeypatch):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("planner.explain.explain", interrupted)
    result = runner.invoke(cli, ["explain", str(EXAMPLES / "minimal.json")])
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr == "\nInterrupted; nothing half-written was left behind.\n"


def test_a_bug_shows_its_traceback_with_plan_gen_debug(runner, monkeypatch):
    monkeypatch.setattr("planner.explain.explain", lambda *_a, **_k: 1 / 0)
    monkeypatch.setenv("PLAN_GEN_DEBUG", "1")
    result = runner.invoke(cli, ["explain", str(EXAMPLES / "minimal.json")])
    assert isinstance(result.exception, ZeroDivisionError)


def test_the_core_never_imports_click():
    """Only the command-line modules (cli.py and its cli_*.py commands) may import click: the core is
    called the same way by the CLI, the tests and any other program."""
    import ast

    offenders = []
    for path in sorted((REPO / "planner").rglob("*.py")):
        if path.name == "cli.py" or path.name.startswith("cli_"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] == "click"]
    assert not offenders
