"""What an input folder lists and what each record's output is named (planner/inputs.py).

A link in a folder whose file is gone is an invalid input, never skipped without a word; a record's id in
any script names its output, with every unsafe character replaced; the report carries each record's id.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from planner.cli import cli


@pytest.fixture
def linked_folder(tmp_path) -> Path:
    folder = tmp_path / "d2"
    folder.mkdir()
    (folder / "broken.json").symlink_to(tmp_path / "nonexistent.json")
    shutil.copy(EXAMPLES / "minimal.json", folder / "minimal.json")
    return folder


def test_batch_reports_a_broken_link_in_a_folder_and_makes_the_rest(runner, linked_folder, tmp_path):
    out, report = tmp_path / "out", tmp_path / "r.json"
    result = runner.invoke(cli, ["batch", str(linked_folder), "-o", str(out), "--format", "json", "-q",
                                 "--report", str(report), "-j", "1"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{linked_folder / 'broken.json'}: no such file"]
    assert result.stdout.startswith("1 plan written, 0 referrals, 1 invalid input, in ")
    assert sorted(p.name for p in out.iterdir()) == ["minimal.json"]
    rows = json.loads(report.read_text())["inputs"]
    assert [(r["input"], r["status"], r["problems"]) for r in rows] == [
        (str(linked_folder / "broken.json"), "invalid", [{"location": "", "message": "no such file"}]),
        (str(linked_folder / "minimal.json"), "plan", [])]


def test_validate_reports_a_broken_link_in_a_folder(runner, linked_folder):
    result = runner.invoke(cli, ["validate", str(linked_folder)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"{linked_folder / 'broken.json'}: no such file",
                                          f"{linked_folder / 'minimal.json'}: valid",
                                          "2 files checked: 1 valid, 1 invalid."]


def test_a_folder_holding_only_a_broken_link_is_not_an_empty_folder(runner, linked_folder, tmp_path):
    (linked_folder / "minimal.json").unlink()
    result = runner.invoke(cli, ["batch", str(linked_folder), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{linked_folder / 'broken.json'}: no such file"]
    assert result.stdout.startswith("0 plans written, 0 referrals, 1 invalid input, in ")
