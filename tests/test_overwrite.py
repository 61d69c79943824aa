"""A user's files are never overwritten: batch, its --report and figures leave an existing file as it is.

An existing output with the very bytes a run would write is left and counted unchanged (a rerun is painless);
one that differs is named and left, its record is not written, the rest are, and the run exits 1;
--overwrite replaces. The put-in-place itself refuses (a hard link, never a rename over a name), so a file
that appears while the run goes is kept too.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shlex
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO
from planner import batch as batch_module
from planner import jsonio, no_replace
from planner.cli import cli
from planner.errors import OutputError

NOTES = b"my own notes\n"
SUMMARY_END = re.compile(r", in [0-9.]+ s\.\n$")
ADVICE = "remove it, choose another --out-dir, or give --overwrite"


def refused(source: Path | str, target: str) -> str:
    return (f"{source}: {target} exists already and differs from what this run would write; it was left as it is, "
            f"and this record was not written: {ADVICE}\n")


def summary(result) -> str:
    assert SUMMARY_END.search(result.stdout), result.stdout
    return SUMMARY_END.sub("", result.stdout)


def names(folder: Path) -> list[str]:
    """Every name in the folder, temporary files (dot names) included: nothing may be left behind."""
    return sorted(os.listdir(folder))


def batch(runner, *args: str):
    return runner.invoke(cli, ["batch", *args, "-o", "out", "-j", "1", "-q"])


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # minimal.json's default start date: the same each run
    return tmp_path


def test_an_existing_different_file_is_refused_left_intact_and_the_rest_made(runner, here):
    """The QA report: notes in out/minimal.pdf were replaced, exit 0."""
    (here / "out").mkdir()
    (here / "out" / "minimal.pdf").write_bytes(NOTES)
    minimal, office = EXAMPLES / "minimal.json", EXAMPLES / "office_worker.json"
    result = batch(runner, str(minimal), str(office))
    assert result.exit_code == 1
    assert (here / "out" / "minimal.pdf").read_bytes() == NOTES
    assert (here / "out" / "office_worker.pdf").read_bytes().startswith(b"%PDF")
    assert names(here / "out") == ["minimal.pdf", "office_worker.pdf"]
    assert result.stderr == refused(minimal, "out/minimal.pdf")
    assert summary(result) == ("1 plan written, 0 referrals, 0 invalid inputs, 1 record not written (a different "
                               "file is there; see above)")


def test_an_identical_file_is_left_as_it_is_and_counted_unchanged(runner, here):
    office = str(EXAMPLES / "office_worker.json")
    assert batch(runner, office, "--format", "json").exit_code == 0
    before = os.stat(here / "out" / "office_worker.json")
    result = batch(runner, office, "--format", "json", "--report", "report.json")
    assert result.exit_code == 0, result.output
    assert summary(result) == "0 plans written, 0 referrals, 0 invalid inputs, 1 record unchanged (the same bytes " \
                              "were there)"
    after = os.stat(here / "out" / "office_worker.json")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not even replaced by a copy
    report = json.loads((here / "report.json").read_text())
    assert report["inputs"][0]["status"] == "plan"
    assert report["inputs"][0]["outputs"] == report["inputs"][0]["unchanged"] == ["out/office_worker.json"]
    assert (report["summary"]["unchanged"], report["summary"]["plans"], report["summary"]["refused"]) == (1, 0, 0)


def test_overwrite_replaces_an_existing_file(runner, here):
    (here / "out").mkdir()
    (here / "out" / "office_worker.json").write_bytes(NOTES)
    result = batch(runner, str(EXAMPLES / "office_worker.json"), "--format", "json", "--overwrite")
    assert result.exit_code == 0, result.output
    assert json.loads((here / "out" / "office_worker.json").read_text())["status"] == "plan"
    assert summary(result) == "1 plan written, 0 referrals, 0 invalid inputs"
    assert names(here / "out") == ["office_worker.json"]


def test_one_record_with_one_file_in_the_way_keeps_its_unchanged_file_and_leaves_no_new_one(runner, here):
    """--format both: the PDF is already there (the same), the JSON differs: the record is refused, the PDF it
    did not write stays, and its calendar, put in place just before, is taken away again."""
    office = EXAMPLES / "office_worker.json"
    assert batch(runner, str(office), "--format", "pdf").exit_code == 0
    (here / "out" / "office_worker.json").write_bytes(NOTES)
    result = batch(runner, str(office), "--format", "both", "--report", "report.json")
    assert result.exit_code == 1
    assert names(here / "out") == ["office_worker.json", "office_worker.pdf"]
    assert (here / "out" / "office_worker.pdf").read_bytes().startswith(b"%PDF")
    assert (here / "out" / "office_worker.json").read_bytes() == NOTES
    assert result.stderr == refused(office, "out/office_worker.json")
    entry = json.loads((here / "report.json").read_text())["inputs"][0]
    assert (entry["status"], entry["outputs"], entry["problems"][0]["message"]) == (
        "refused", [], refused("", "out/office_worker.json")[2:-1])


def test_workers_refuse_too(runner, here):
    (here / "out").mkdir()
    (here / "out" / "p1.json").write_bytes(NOTES)
    people = here / "people.jsonl"
    people.write_text("".join(json.dumps({**json.loads((EXAMPLES / "office_worker.json").read_text()), "id": f"p{i}"})
                              + "\n" for i in range(6)))
    result = runner.invoke(cli, ["batch", str(people), "-o", "out", "-j", "2", "-q", "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr == refused(f"{people}:2", "out/p1.json")
    assert (here / "out" / "p1.json").read_bytes() == NOTES
    assert names(here / "out") == [f"p{i}.json" for i in range(6)]


def test_the_put_in_place_itself_refuses_a_file_that_appears_while_the_run_goes(runner, here, monkeypatch):
    """No check-then-rename: the file appears after the group is flushed, just before it is put in place, and
    no call that replaces a name is made at all."""
    real_flush = jsonio.WriteGroup.flush

    def flush(self):
        real_flush(self)
        (here / "out" / "office_worker.json").write_bytes(NOTES)

    def no_replacing(*_args, **_kwargs):
        raise AssertionError("a call that replaces a file was made")

    monkeypatch.setattr(jsonio.WriteGroup, "flush", flush)
    monkeypatch.setattr(os, "replace", no_replacing)
    monkeypatch.setattr(os, "rename", no_replacing)
    office = EXAMPLES / "office_worker.json"
    result = batch(runner, str(office), str(EXAMPLES / "minimal.json"), "--format", "json")
    assert result.exit_code == 1
    assert (here / "out" / "office_worker.json").read_bytes() == NOTES
    assert result.stderr == refused(office, "out/office_worker.json")
    assert names(here / "out") == ["minimal.json", "office_worker.json"]


@pytest.mark.parametrize("renameat2", [True, False], ids=["renameat2", "last-resort"])
def test_without_hard_links_it_still_never_replaces(tmp_path, monkeypatch, renameat2):
    """A folder whose file system has no hard links (FAT, some network folders): link(2) fails with EPERM."""
    def no_links(*_args, **_kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    if not renameat2:
        monkeypatch.setattr(no_replace, "_renameat2", lambda: None)
    elif no_replace._renameat2() is None:
        pytest.skip("no renameat2 here")
    new, same, other = tmp_path / "new.txt", tmp_path / "same.txt", tmp_path / "other.txt"
    same.write_bytes(b"plan")
    other.write_bytes(NOTES)
    assert no_replace.write_new(new, b"plan") is True
    assert no_replace.write_new(same, b"plan") is False
    with pytest.raises(no_replace.ExistingFile, match=re.escape(f"{other} exists already and differs")):
        no_replace.write_new(other, b"plan")
    assert (new.read_bytes(), same.read_bytes(), other.read_bytes()) == (b"plan", b"plan", NOTES)
    assert names(tmp_path) == ["new.txt", "other.txt", "same.txt"]


def test_a_folder_or_a_dangling_link_in_the_way_is_refused(tmp_path):
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "link.json").symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match=re.escape(f"cannot write {tmp_path}/folder.json: a folder has that name")):
        no_replace.write_new(tmp_path / "folder.json", b"{}")
    with pytest.raises(no_replace.ExistingFile, match=re.escape(f"{tmp_path}/link.json exists already")):
        no_replace.write_new(tmp_path / "link.json", b"{}")
    assert not (tmp_path / "nowhere").exists()
    assert names(tmp_path) == ["folder.json", "link.json"]


def test_an_existing_report_is_refused_before_any_work(runner, here):
    (here / "report.json").write_bytes(NOTES)
    result = batch(runner, str(EXAMPLES / "office_worker.json"), "--report", "report.json")
    assert result.exit_code == 1
    assert result.output == ("Error: --report report.json exists already; plan-gen never replaces a file: remove it, "
                             "choose another file for the report, or give --overwrite\n")
    assert (here / "report.json").read_bytes() == NOTES
    assert not (here / "out").exists()
    result = batch(runner, str(EXAMPLES / "office_worker.json"), "--report", "report.json", "--overwrite")
    assert result.exit_code == 0, result.output
    assert json.loads((here / "report.json").read_text())["summary"]["plans"] == 1


def test_a_report_that_appears_while_the_run_goes_is_kept(runner, here, monkeypatch):
    real = batch_module.run_chunk

    def chunk(*args, **kwargs):
        (here / "report.json").write_bytes(NOTES)
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_module, "run_chunk", chunk)
    result = batch(runner, str(EXAMPLES / "office_worker.json"), "--format", "json", "--report", "report.json")
    assert result.exit_code == 1
    assert result.stderr == ("Error: the report was not written: report.json exists already and differs from what "
                             "this run would write; it was left as it is: remove it, or choose another file for the "
                             "report\n")
    assert (here / "report.json").read_bytes() == NOTES
    assert names(here) == ["out", "report.json"]


def test_checkin_batch_refuses_an_existing_report_too(runner, here):
    (here / "report.json").write_bytes(NOTES)
    assert batch(runner, str(EXAMPLES / "office_worker.json"), "--format", "json").exit_code == 0
    result = runner.invoke(cli, ["checkin", "--batch", "out", str(EXAMPLES / "checkins" / "week2.jsonl"),
                                 "--report", "report.json", "-q"])
    assert result.exit_code == 1
    assert result.output == ("Error: --report report.json exists already; plan-gen never replaces a file: remove it, "
                             "or choose another file for the report\n")
    assert (here / "report.json").read_bytes() == NOTES


def test_the_quick_start_command_runs_twice(runner, here):
    """README's quick start writes a plan for every example into out/; a person may well run it again."""
    line = next(x for x in (REPO / "README.md").read_text().splitlines() if x.startswith("python3 -m venv")
                and "plan-gen batch" in x)
    args = shlex.split(line.split(".venv/bin/plan-gen ", 1)[1])
    assert args == ["batch", "examples/", "--out-dir", "out"]
    (here / "examples").symlink_to(EXAMPLES)
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    count = len(list(EXAMPLES.glob("*.json")))
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert summary(second) == f"0 plans written, 0 referrals, 0 invalid inputs, {count} records unchanged (the same " \
                              "bytes were there)"
    assert names(here / "out") == sorted(f"{p.stem}.pdf" for p in EXAMPLES.glob("*.json"))


def test_figures_refuse_a_different_file_keep_the_same_and_overwrite_replaces(runner, tmp_path):
    from planner.catalogue import shipped_catalogue

    count = len(shipped_catalogue().ordered_exercises())
    figs = tmp_path / "figs"
    assert runner.invoke(cli, ["figures", "--out", str(figs)]).exit_code == 0
    svg = figs / "bridge.svg"
    drawn = svg.read_bytes()
    svg.write_bytes(NOTES)
    result = runner.invoke(cli, ["figures", "--out", str(figs)])
    assert result.exit_code == 1
    assert svg.read_bytes() == NOTES
    assert result.stderr == (f"{svg} exists already and differs from what this run would write; it was left as it "
                             "is: remove it, choose another --out, or give --overwrite\n")
    assert result.stdout == (f"{count} figures and a sheet of them (figures.pdf) in {figs}/: 0 written, {count} "
                             "unchanged (the same bytes were there), 1 not replaced (a different file is there; see "
                             "above).\n")
    result = runner.invoke(cli, ["figures", "--out", str(figs), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert svg.read_bytes() == drawn
    assert len(names(figs)) == count + 1
