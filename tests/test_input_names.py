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
from planner.inputs import MAX_STEM_BYTES, safe_stem


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


# Output names from ids in any script, and the ids in --report.

def _jsonl(tmp_path: Path, *ids: str | None, name: str = "people.jsonl") -> Path:
    answers = json.loads((EXAMPLES / "minimal.json").read_text())
    lines = [json.dumps(answers if i is None else {**answers, "id": i}, ensure_ascii=False) for i in ids]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("given", "named"), [
    ("Μαρία", "Μαρία"),  # Greek letters are letters
    ("Иван/../x", "Иван_.._x"),  # each unsafe run replaced; nothing before it dropped
    ("../..", "people-1"),  # nothing left but dots and a slash: the line's name
    ("Zoe\u0308 Łukasiewicz", "Zoë_Łukasiewicz"),  # one name however the accent was typed
    ("a\u202eb\\c:d", "a_b_c_d"),  # a direction override, a backslash and a colon are not letters
    ("p000001", "p000001"),
    ("Я" * 80, "Я" * 50),  # at most 100 bytes: two for each Cyrillic letter
])
def test_an_id_in_any_script_names_the_output_inside_the_folder(runner, tmp_path, given, named):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(_jsonl(tmp_path, given)), "-o", str(out), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [f"{named}.json"]


def test_ids_that_differ_only_in_case_clash_in_any_script(runner, tmp_path):
    people = _jsonl(tmp_path, "Иван", "ИВАН")
    result = runner.invoke(cli, ["batch", str(people), "-o", str(tmp_path / "out"), "--format", "json", "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {people}:2: would write {tmp_path / 'out' / 'ИВАН.json'}, as "
                                          f"{people}:1 does; rename one of them (or give the records distinct ids)"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_report_carries_each_records_id(runner, tmp_path, jobs):
    people = _jsonl(tmp_path, "Μαρία", None, "Иван/../x")
    bad = json.loads((EXAMPLES / "minimal.json").read_text()) | {"id": "too-young", "age": 5}
    with people.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(bad) + "\n")
    out, report = tmp_path / "out", tmp_path / "report.json"
    result = runner.invoke(cli, ["batch", str(people), "-o", str(out), "--format", "json", "-q", "--report",
                                 str(report), "-j", jobs])
    assert result.exit_code == 1
    rows = json.loads(report.read_text(encoding="utf-8"))["inputs"]
    assert [(r["input"], r.get("id"), r["status"], r["outputs"]) for r in rows] == [
        (f"{people}:1", "Μαρία", "plan", [str(out / "Μαρία.json")]),
        (f"{people}:2", None, "plan", [str(out / "people-2.json")]),
        (f"{people}:3", "Иван/../x", "plan", [str(out / "Иван_.._x.json")]),
        (f"{people}:4", "too-young", "invalid", [])]


def test_a_csv_rows_id_names_its_output_and_reaches_the_report(runner, tmp_path):
    import csv
    import io

    header, example = list(csv.reader(io.StringIO(runner.invoke(cli, ["schema", "--format", "csv"]).output)))
    example[header.index("id")] = "Μαρία Παπαδοπούλου"
    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, example])
    out, report = tmp_path / "out", tmp_path / "report.json"
    result = runner.invoke(cli, ["batch", str(path), "-o", str(out), "--format", "json", "-q", "--report",
                                 str(report)])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(report.read_text(encoding="utf-8"))["inputs"]
    assert row["id"] == "Μαρία Παπαδοπούλου" and row["outputs"] == [str(out / "Μαρία_Παπαδοπούλου.json")]


@pytest.mark.parametrize("given", ["a" * 99 + "-b", "ж" * 49 + "a-b", "a" * 99 + ".x"])
def test_a_name_cut_to_its_length_never_ends_in_a_dot_dash_or_underscore(given):
    """The cut to 100 bytes can land just after a '-' or '.': the stem is stripped again after it."""
    stem = safe_stem(given, "fallback")
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES and stem[-1] not in "._-" and stem[0] not in "._-"
