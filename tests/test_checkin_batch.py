"""`plan-gen checkin --batch PLANS CHECKINS`: many check-ins, with the guarantees and exit codes of batch."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from planner.answers import load_answers
from planner.build import make_plan
from planner.cli import cli
from planner.render_json import plan_json

ENV = {"SOURCE_DATE_EPOCH": "1767225600"}
TODAY = dt.date(2026, 1, 1)
CHECKIN = json.loads((EXAMPLES / "checkins" / "office_worker_week2.json").read_text())
PEOPLE = ("office_worker", "warehouse_worker", "minimal")
SUMMARY = re.compile(r", in [0-9.]+ s\.$")


@pytest.fixture
def plans(tmp_path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in PEOPLE:
        (folder / f"{name}.json").write_text(plan_json(make_plan(load_answers(EXAMPLES / f"{name}.json"), TODAY)))
    return folder


def lines(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def good(plan_id: str, **changes) -> dict:
    return {**CHECKIN, "plan_id": plan_id, **changes}


def run(*args: str, jobs: str = "1", stdin: str | None = None):
    result = CliRunner().invoke(cli, ["checkin", "--batch", *args, "-j", jobs], env=ENV, input=stdin)
    assert "Traceback" not in result.output
    return result


def summary(result) -> str:
    return SUMMARY.sub("", result.stdout.strip().splitlines()[-1])


def test_every_checkin_makes_its_next_block_beside_its_plan(plans, tmp_path):
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("warehouse_worker"))
    result = run(str(plans), str(checkins))
    assert result.exit_code == 0, result.output
    assert summary(result) == "2 next blocks written, 0 referrals, 0 invalid check-ins"
    block = json.loads((plans / "office_worker-block1.json").read_text())
    assert [w["number"] for w in block["weeks"]] == [3, 4] and block["checkin"]["block"] == 1
    assert (plans / "warehouse_worker-block1.pdf").read_bytes().startswith(b"%PDF")


def test_one_bad_record_among_good_ones_is_named_and_the_others_are_made(plans, tmp_path):
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("minimal", pain={"now": 11, "compared": "x"}),
                     good("warehouse_worker"))
    result = run(str(plans), str(checkins))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{checkins}:2: at pain.compared: got \"x\"; allowed: one of better, same, worse",
        f"{checkins}:2: at pain.now: got 11; allowed: a whole number from 0 to 10"]
    assert summary(result) == "2 next blocks written, 0 referrals, 1 invalid check-in"
    assert (plans / "office_worker-block1.json").is_file() and (plans / "warehouse_worker-block1.json").is_file()
    assert not list(plans.glob("minimal-block*"))


def test_a_missing_or_unknown_plan_id_says_what_to_write(plans, tmp_path):
    checkins = lines(tmp_path / "c.jsonl", {k: v for k, v in CHECKIN.items()}, good("nobody"), good("../plans/x"))
    result = run(str(plans), str(checkins))
    assert result.exit_code == 1
    where = f"write the name of a plan file in {plans} without .json"
    assert result.stderr.splitlines() == [
        f"{checkins}:1: at plan_id: missing; {where} (such as anna, or anna-block1 for the next check-in)",
        f"{checkins}:2: at plan_id: \"nobody\": there is no {plans / 'nobody.json'}; {where}",
        f"{checkins}:3: at plan_id: got '../plans/x'; {where} (such as anna, or anna-block1 for the next check-in)"]
    assert summary(result) == "0 next blocks written, 0 referrals, 3 invalid check-ins"


def test_a_plan_made_by_other_rules_is_refused_for_that_record_only(plans, tmp_path):
    old = json.loads((plans / "minimal.json").read_text())
    old["versions"]["rules"] = "0.1.0"
    (plans / "minimal.json").write_text(json.dumps(old))
    checkins = lines(tmp_path / "c.jsonl", good("minimal"), good("office_worker"))
    result = run(str(plans), str(checkins))
    assert result.exit_code == 1
    from planner.build import shipped_rulebook

    assert result.stderr.splitlines() == [
        f"{checkins}:1: at plan_id ({plans / 'minimal.json'}: versions.rules): this plan was made with rules 0.1.0; "
        f"this plan-gen has rules {shipped_rulebook().version}; make a new plan from its answers (plan-gen batch), "
        "then check in against the new plan"]
    assert (plans / "office_worker-block1.json").is_file()


def test_an_existing_output_is_never_replaced_and_the_rest_go_on(plans, tmp_path):
    (plans / "office_worker-block1.pdf").write_bytes(b"mine")
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("warehouse_worker"))
    result = run(str(plans), str(checkins), "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{checkins}:1: {plans / 'office_worker-block1.pdf'}: exists already; plan-gen never replaces a file. "
        "Move it, or choose another folder with --out-dir"]
    assert summary(result) == "1 next block written, 0 referrals, 0 invalid check-ins, 1 check-in not written"
    assert (plans / "office_worker-block1.pdf").read_bytes() == b"mine"
    assert (plans / "warehouse_worker-block1.pdf").is_file()


def test_two_checkins_of_one_plan_stop_the_run_before_anything_is_written(plans, tmp_path):
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("warehouse_worker"), good("office_worker"))
    result = run(str(plans), str(checkins))
    assert result.exit_code == 1
    assert (f"{checkins}:3: at plan_id: \"office_worker\" is also checked in at {checkins}:1; give one check-in a "
            "plan in a run (the next one goes against the new block)") in result.output
    assert sorted(p.name for p in plans.iterdir()) == [f"{n}.json" for n in sorted(PEOPLE)]


def test_the_next_checkin_goes_against_the_new_block(plans, tmp_path):
    first = lines(tmp_path / "a.jsonl", good("office_worker"))
    assert run(str(plans), str(first)).exit_code == 0
    again = run(str(plans), str(first))  # the same lines again: refused, with the block it might have meant
    assert again.exit_code == 1 and again.stderr.splitlines() == [
        f"{first}:1: {plans / 'office_worker-block1.pdf'}: exists already; plan-gen never replaces a file. Move it, "
        "or choose another folder with --out-dir (office_worker-block1 is in the plans too: if this check-in came "
        "after that block, write plan_id office_worker-block1)"]
    second = good("office_worker-block1", after_week=4, sessions_per_week=[5, 5])
    result = run(str(plans), str(lines(tmp_path / "b.jsonl", second)), "--format", "json")
    assert result.exit_code == 0, result.output
    block = json.loads((plans / "office_worker-block2.json").read_text())
    assert [w["number"] for w in block["weeks"]] == [5, 6] and len(block["checkin"]["history"]) == 3


def test_a_bug_is_reported_against_its_record_exit_3_and_the_rest_are_made(plans, tmp_path, monkeypatch):
    from planner import checkin_files

    real = checkin_files.next_block

    def broken(plan, checkin, *args):
        if checkin.data["plan_id"] == "warehouse_worker":
            raise KeyError("boom")
        return real(plan, checkin, *args)

    monkeypatch.setattr(checkin_files, "next_block", broken)
    checkins = lines(tmp_path / "c.jsonl", good("warehouse_worker"), good("office_worker"))
    result = run(str(plans), str(checkins))
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"{checkins}:1: internal error (KeyError: 'boom') while making c-1; this is a bug in plan-gen, please "
        "report it with this record"]
    assert (plans / "office_worker-block1.pdf").is_file()


def test_report_lists_every_outcome_and_may_not_name_an_output(plans, tmp_path):
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("nobody"))
    clash = run(str(plans), str(checkins), "--report", str(plans / "office_worker-block1.json"))
    assert clash.exit_code == 1 and "--report names an input or an output of this run" in clash.output
    assert not (plans / "office_worker-block1.pdf").exists()
    result = run(str(plans), str(checkins), "--report", str(tmp_path / "report.json"))
    report = json.loads((tmp_path / "report.json").read_text())
    assert [(i["input"], i["status"]) for i in report["inputs"]] == [(f"{checkins}:1", "plan"),
                                                                    (f"{checkins}:2", "invalid")]
    assert report["summary"]["plans"] == 1 and report["summary"]["invalid"] == 1 and result.exit_code == 1


def test_workers_write_the_same_bytes_as_one_process(plans, tmp_path):
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("warehouse_worker"), good("minimal"))
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(str(plans), str(checkins), "--out-dir", str(one)).exit_code == 0
    assert run(str(plans), str(checkins), "--out-dir", str(two), jobs="2").exit_code == 0
    names = sorted(p.name for p in one.iterdir())
    assert len(names) == 6 and names == sorted(p.name for p in two.iterdir())
    assert all((one / n).read_bytes() == (two / n).read_bytes() for n in names)
    assert not [p for p in two.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_checkins_from_standard_input(plans):
    result = run(str(plans), "-", "--format", "json", stdin=json.dumps(good("minimal")) + "\n")
    assert result.exit_code == 0, result.output
    assert (plans / "minimal-block1.json").is_file()


def test_usage_mistakes_are_usage_errors(plans, tmp_path):
    checkins = lines(tmp_path / "c.jsonl", good("minimal"))
    runner = CliRunner()
    assert runner.invoke(cli, ["checkin", str(plans), str(checkins)]).exit_code == 2  # a folder without --batch
    lone = runner.invoke(cli, ["checkin", "--batch", str(plans), "--interview"])
    assert lone.exit_code == 2 and "--batch needs a folder of plans and a JSON Lines file of check-ins" in lone.output
    result = runner.invoke(cli, ["checkin", "--batch", str(checkins), str(checkins)])
    assert result.exit_code == 1 and "not a folder" in result.output


def test_a_single_checkin_naming_another_plan_is_refused(plans, tmp_path):
    ci = tmp_path / "c.json"
    ci.write_text(json.dumps(good("warehouse_worker")))
    result = CliRunner().invoke(cli, ["checkin", str(plans / "office_worker.json"), str(ci)], env=ENV)
    assert result.exit_code == 1
    assert (f'{ci}: at plan_id: is "warehouse_worker", but the plan given is office_worker.json; check that this is '
            "the right person's plan, or leave plan_id out") in result.output
    assert not (plans / "office_worker-block1.pdf").exists()


def test_the_clinicians_copy_reaches_every_block_of_a_batch(plans, tmp_path):
    from pypdf import PdfReader

    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("minimal"))
    assert run(str(plans), str(checkins), "--clinician-copy", "--format", "pdf", jobs="2").exit_code == 0
    for name in ("office_worker", "minimal"):
        text = " ".join(p.extract_text() for p in PdfReader(plans / f"{name}-block1.pdf").pages)
        assert "For the clinic's file: progress" in text, name


def test_a_batch_block_is_the_same_bytes_as_one_checked_in_alone(plans, tmp_path):
    alone = tmp_path / "alone.json"
    alone.write_text(json.dumps(good("warehouse_worker")))
    single = CliRunner().invoke(cli, ["checkin", str(plans / "warehouse_worker.json"), str(alone), "--out-dir",
                                      str(tmp_path / "one")], env=ENV)
    assert single.exit_code == 0, single.output
    many = run(str(plans), str(lines(tmp_path / "c.jsonl", good("office_worker"), good("warehouse_worker"))),
               "--out-dir", str(tmp_path / "many"), jobs="2")
    assert many.exit_code == 0, many.output
    for ext in ("pdf", "json"):
        name = f"warehouse_worker-block1.{ext}"
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()


def test_a_full_disk_stops_the_run_and_says_how_many_were_not_tried(plans, tmp_path, monkeypatch):
    from planner import checkin_files
    from planner.errors import OutputError

    def full(path, data, tag=None):
        raise OutputError(f"{path}: no space left on the disk; free some space and run again", disk_full=True)

    monkeypatch.setattr(checkin_files, "write_atomic", full)
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("warehouse_worker"), good("minimal"))
    result = run(str(plans), str(checkins), "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 1
    assert "Stopped early (the disk is full): 2 check-ins not tried." in result.stderr
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["not_tried"] == 2


def test_the_example_checkins_run_as_the_readme_shows(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["batch", str(EXAMPLES), "--format", "json", "-o", str(tmp_path), "-j", "1"],
                         env=ENV).exit_code == 0
    result = runner.invoke(cli, ["checkin", "--batch", str(tmp_path), str(EXAMPLES / "checkins" / "week2.jsonl"),
                                 "-j", "1"], env=ENV)
    assert result.exit_code == 0, result.output
    assert summary(result) == "2 next blocks written, 0 referrals, 0 invalid check-ins"
    few = json.loads((tmp_path / "warehouse_worker-block1.json").read_text())  # 3 of 10 sessions done
    assert [c["rule"] for c in few["checkin"]["changes"]] == ["checkin_few_sessions"]


def _first_page(pdf: Path) -> tuple[tuple[float, float], str]:
    from pypdf import PdfReader

    page = PdfReader(pdf).pages[0]
    size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
    return size, " ".join(page.extract_text().split())


def _body_sizes(pdf: Path) -> set[float]:
    from pypdf import PdfReader

    sizes: set[float] = set()
    PdfReader(pdf).pages[1].extract_text(visitor_text=lambda t, cm, tm, f, s: sizes.add(round(s * tm[0], 1))
                                         if t.strip() else None)
    return sizes


@pytest.mark.parametrize("many", [False, True])
def test_a_check_in_prints_on_the_paper_type_size_and_clinic_asked_for(plans, tmp_path, many):
    """A large-print reader's next block came out in standard A4 with no clinic: check-in takes the same print
    options as batch and interview."""
    clinic = tmp_path / "clinic.json"
    clinic.write_text(json.dumps({"clinic_name": "Βόρεια <Physio>", "phone": "+30 210 555 0100"}), encoding="utf-8")
    options = ["--page-size", "letter", "--large-print", "--clinic", str(clinic), "--format", "pdf"]
    if many:
        result = run(str(plans), str(lines(tmp_path / "c.jsonl", good("office_worker"))), *options)
    else:
        ci = tmp_path / "c.json"
        ci.write_text(json.dumps(CHECKIN))
        result = CliRunner().invoke(cli, ["checkin", str(plans / "office_worker.json"), str(ci), *options], env=ENV)
    assert result.exit_code == 0, result.output
    size, text = _first_page(plans / "office_worker-block1.pdf")
    assert size == (612, 792)
    assert "Questions? Call Βόρεια <Physio> on +30 210 555 0100." in text
    assert max(_body_sizes(plans / "office_worker-block1.pdf")) >= 14 and 14.0 in _body_sizes(
        plans / "office_worker-block1.pdf")


def test_a_bad_clinic_file_stops_a_check_in_before_anything_is_written(plans, tmp_path):
    ci = tmp_path / "c.json"
    ci.write_text(json.dumps(CHECKIN))
    result = CliRunner().invoke(cli, ["checkin", str(plans / "office_worker.json"), str(ci), "--clinic",
                                      str(tmp_path / "none.json")], env=ENV)
    assert result.exit_code == 1 and "none.json" in result.output and "no such file" in result.output
    assert not list(plans.glob("*-block1.*"))


def test_a_checkin_against_a_block_this_run_writes_waits_for_the_next_run(plans, tmp_path):
    # Whether office_worker-block1.json exists when the second line is read would depend on which worker
    # finishes first: the outcome would change with --jobs. Both are refused before anything is written.
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"),
                     good("office_worker-block1", after_week=4, sessions_per_week=[5, 5]))
    for jobs in ("1", "2"):
        result = run(str(plans), str(checkins), jobs=jobs)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f'Error: {checkins}:2: at plan_id: "office_worker-block1" is the block the check-in at {checkins}:1 '
            "writes in this run; check in against it in a later run, once that block has been made"]
        assert sorted(p.name for p in plans.iterdir()) == [f"{n}.json" for n in sorted(PEOPLE)]


def test_two_checkins_writing_one_file_stop_the_run(plans, tmp_path):
    (plans / "office_worker-block0.json").write_text((plans / "office_worker.json").read_text())
    checkins = lines(tmp_path / "c.jsonl", good("office_worker"), good("office_worker-block0"))
    result = run(str(plans), str(checkins), "--format", "json")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'Error: {checkins}:2: at plan_id: "office_worker-block0" writes {plans / "office_worker-block1.json"}, '
        f"as the check-in at {checkins}:1 does; give one of them in a later run"]
    assert not (plans / "office_worker-block1.json").exists()


def test_a_plan_whose_answers_were_edited_wrong_is_named_with_its_file_and_field(plans, tmp_path):
    plan = json.loads((plans / "office_worker.json").read_text())
    plan["answers"]["pain"]["level"] = 99
    (plans / "edited.json").write_text(json.dumps(plan))
    checkins = lines(tmp_path / "c.jsonl", good("edited"), good("warehouse_worker"))
    result = run(str(plans), str(checkins))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{checkins}:1: at plan_id ({plans / 'edited.json'}: answers.pain.level): got 99; allowed: a whole number "
        "from 0 to 10"]
    assert summary(result) == "1 next block written, 0 referrals, 1 invalid check-in"
    alone = CliRunner().invoke(cli, ["checkin", str(plans / "edited.json"),
                                     str(EXAMPLES / "checkins" / "office_worker_week2.json")], env=ENV)
    assert alone.exit_code == 1 and alone.stderr.splitlines() == [
        f"Error: {plans / 'edited.json'}: at answers.pain.level: got 99; allowed: a whole number from 0 to 10"]


def test_plans_given_as_the_checkins_are_named_as_plans_in_one_line_each(plans, tmp_path):
    result = run(str(tmp_path), str(plans), "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{plans / name}.json: is a plan, not a check-in: give the folder of plans first, then the check-ins: "
        "plan-gen checkin --batch PLANS CHECKINS.jsonl" for name in sorted(PEOPLE)]


@pytest.mark.parametrize("many", [False, True])
def test_a_check_in_prints_as_the_plan_was_printed_unless_told_otherwise(tmp_path, many):
    """The plan JSON records its paper and type size: a large-print reader's next block is large print
    without the clinic having to remember the option, and an option given at the check-in still wins."""
    plans = tmp_path / "plans"
    made = CliRunner().invoke(cli, ["batch", str(EXAMPLES / "office_worker.json"), "-o", str(plans), "--format",
                                    "json", "--page-size", "letter", "--large-print", "-j", "1"], env=ENV)
    assert made.exit_code == 0, made.output
    assert json.loads((plans / "office_worker.json").read_text())["printed"] == {"page_size": "letter",
                                                                                 "large_print": True}

    def check_in(*options: str) -> Path:
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        if many:
            result = run(str(plans), str(lines(tmp_path / "c.jsonl", good("office_worker"))), "--out-dir", str(out),
                         *options)
        else:
            ci = tmp_path / "c.json"
            ci.write_text(json.dumps(CHECKIN))
            result = CliRunner().invoke(cli, ["checkin", str(plans / "office_worker.json"), str(ci), "--out-dir",
                                              str(out), *options], env=ENV)
        assert result.exit_code == 0, result.output
        return out

    same = check_in()
    assert _first_page(same / "office_worker-block1.pdf")[0] == (612, 792)
    assert 14.0 in _body_sizes(same / "office_worker-block1.pdf")
    # ... and the next block's JSON records it again, for the check-in after.
    assert json.loads((same / "office_worker-block1.json").read_text())["printed"] == {"page_size": "letter",
                                                                                      "large_print": True}
    told = check_in("--page-size", "a4", "--standard-print")
    assert _first_page(told / "office_worker-block1.pdf")[0] == (595, 842)
    assert 14.0 not in _body_sizes(told / "office_worker-block1.pdf")
    assert json.loads((told / "office_worker-block1.json").read_text())["printed"] == {"page_size": "a4",
                                                                                      "large_print": False}


def test_a_plan_from_before_print_options_were_recorded_prints_in_standard_a4(plans, tmp_path):
    assert "printed" not in json.loads((plans / "office_worker.json").read_text())  # plan_json without options
    ci = tmp_path / "c.json"
    ci.write_text(json.dumps(CHECKIN))
    result = CliRunner().invoke(cli, ["checkin", str(plans / "office_worker.json"), str(ci)], env=ENV)
    assert result.exit_code == 0, result.output
    assert _first_page(plans / "office_worker-block1.pdf")[0] == (595, 842)
    assert 14.0 not in _body_sizes(plans / "office_worker-block1.pdf")
