"""An empty input is an invalid input, whatever its kind: a person whose export failed must not think the batch ran.

Each empty JSON Lines file, blank CSV or empty standard input counts as one invalid input (exit 1), named with what
it should hold, and the other inputs of the same run are still made.
"""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from conftest import BASE_ANSWERS
from planner.cli import cli
from planner.csv_input import to_csv

ENV = {"SOURCE_DATE_EPOCH": "1795651200"}
TIMING = re.compile(r", in [0-9.]+ s\.$")
JSONL_EMPTY = "the file is empty; expected one JSON object per line"
CSV_EMPTY = "the file is empty; it needs a header row of field paths, then one row a person"


def invoke(*args: str, stdin: str | None = None):
    result = CliRunner().invoke(cli, list(args), env=ENV, input=stdin)
    assert "Traceback" not in result.output
    return result


def last_line(result) -> str:
    return TIMING.sub("", result.stdout.strip().splitlines()[-1])


def test_batch_counts_each_empty_jsonl_as_one_invalid_input_and_makes_the_rest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\xef\xbb\xbf\n  \r\n\t\n")  # a byte-order mark and blank lines only
    (tmp_path / "good.json").write_text(json.dumps(BASE_ANSWERS))
    result = invoke("batch", "empty.jsonl", "blank.jsonl", "good.json", "-o", "out", "--format", "json", "-j", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"empty.jsonl: {JSONL_EMPTY}", f"blank.jsonl: {JSONL_EMPTY}"]
    assert last_line(result) == "1 plan written, 0 referrals, 2 invalid inputs"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.json"]


def test_validate_names_an_empty_jsonl_and_empty_standard_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    (tmp_path / "one.jsonl").write_text("\n" + json.dumps(BASE_ANSWERS) + "\n\n")  # blank lines around one is fine
    result = invoke("validate", "empty.jsonl", "one.jsonl", "-", stdin="")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"empty.jsonl: {JSONL_EMPTY}",
        "one.jsonl:2: valid",
        "<stdin>: the input is empty; expected one JSON object per line",
        "3 files checked: 1 valid, 2 invalid.",
    ]


def test_validate_a_csv_of_blank_rows_is_empty_and_a_blank_first_row_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "blank.csv").write_text("\n , ,\r\n\n", encoding="utf-8")
    (tmp_path / "late.csv").write_text("\n" + to_csv([BASE_ANSWERS]), encoding="utf-8")
    result = invoke("validate", "blank.csv", "late.csv")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"blank.csv: {CSV_EMPTY}",
        "late.csv: row 1 is blank; the header row of field paths must be row 1",
        "2 files checked: 0 valid, 2 invalid.",
    ]


def test_batch_of_a_header_only_csv_is_one_invalid_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "header.csv").write_text(to_csv([]), encoding="utf-8")
    (tmp_path / "good.json").write_text(json.dumps(BASE_ANSWERS))
    result = invoke("batch", "header.csv", "good.json", "-o", "out", "--format", "json", "-j", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["header.csv: the file has a header row but no one's answers below it"]
    assert last_line(result) == "1 plan written, 0 referrals, 1 invalid input"


def test_checkin_batch_of_an_empty_jsonl_is_one_invalid_checkin(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (tmp_path / "empty.jsonl").write_bytes(b"\n")
    result = invoke("checkin", "--batch", str(plans), str(tmp_path / "empty.jsonl"), "-j", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{tmp_path / 'empty.jsonl'}: {JSONL_EMPTY}"]
    assert last_line(result) == "0 next blocks written, 0 referrals, 1 invalid check-in"
    assert list(plans.iterdir()) == []
