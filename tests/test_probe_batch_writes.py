"""Batch's grouped writes when one of a record's files cannot be put in place: nothing of that record is left."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from planner.cli import cli

ENV = {"SOURCE_DATE_EPOCH": "1767225600"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_record_whose_second_file_cannot_be_written_leaves_no_first_file(tmp_path, jobs):
    out = tmp_path / "out"
    (out / "minimal.json").mkdir(parents=True)  # the PDF goes in first, then the JSON meets a folder
    result = CliRunner().invoke(cli, ["batch", str(EXAMPLES / "minimal.json"), str(EXAMPLES / "office_worker.json"),
                                      "--format", "both", "--out-dir", str(out), "-j", jobs, "-q"], env=ENV)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{EXAMPLES / 'minimal.json'}: cannot write {out / 'minimal.json'}: a folder has that name; choose another "
        "name"]
    assert sorted(p.name for p in out.iterdir()) == ["minimal.json", "office_worker.ics", "office_worker.json",
                                                     "office_worker.pdf"]
