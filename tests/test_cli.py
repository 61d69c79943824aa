"""The command line: exit codes, exact messages and help text (CliRunner)."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES
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
