"""A rules folder in which a warning sign has no referral rule makes nothing (planner/data_source.py).

`plan-gen rules check` reports such a folder; every command that makes a plan or a referral (batch,
interview, explain) refuses it before any work, with the same finding, so a person with that sign is never
handed an exercise plan. The shipped rules are stamped as passing and are not checked again at start-up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES
from planner import data_source, resources, rules_check, verified
from planner.build import shipped_rulebook
from planner.cli import cli
from planner.data_source import DataSource, choose
from planner.errors import DataError

FINDING = ("error: {folder}: at red_flags.{sign}: no rule gives a referral when red_flags.{sign} is true, so a "
           "person with this warning sign could be given an exercise plan; add a set_status rule for it")


def _without(rules_dir: Path, *rule_ids: str) -> None:
    """Delete rules from the triage file, as a clinician editing it might."""
    path = rules_dir / "10_triage.json"
    data = json.loads(path.read_text())
    data["rules"] = [r for r in data["rules"] if r["id"] not in rule_ids]
    path.write_text(json.dumps(data))


@pytest.fixture
def saddle_answers(tmp_path) -> Path:
    answers = json.loads((EXAMPLES / "office_worker.json").read_text())
    answers["red_flags"]["saddle_numbness"] = True
    path = tmp_path / "saddle.json"
    path.write_text(json.dumps(answers))
    return path


def _refusal(folder: Path, *signs: str) -> list[str]:
    label = folder.resolve()
    return [f"Error: {label}: these rules are refused, so nothing was made: a person with a warning sign could "
            "be given an exercise plan.",
            *(FINDING.format(folder=label, sign=s) for s in signs),
            f"Add the missing referral rules (the shipped ones are in plan-gen rules export), then run plan-gen "
            f"rules check {label}."]


def test_batch_refuses_rules_with_an_unreferred_sign_listing_every_one(runner, rules_copy, saddle_answers, tmp_path):
    _without(rules_copy, "urgent_saddle_numbness", "today_fever")
    out, report = tmp_path / "out", tmp_path / "report.json"
    result = runner.invoke(cli, ["batch", str(saddle_answers), "-o", str(out), "--rules", str(rules_copy),
                                 "--format", "json", "-q", "--report", str(report)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _refusal(rules_copy, "fever", "saddle_numbness")
    assert not out.exists() and not report.exists()  # before any work
    check = runner.invoke(cli, ["rules", "check", str(rules_copy)])  # the same finding, word for word
    assert check.exit_code == 1
    assert [line for line in check.output.splitlines() if line.startswith("error:")] == _refusal(
        rules_copy, "fever", "saddle_numbness")[1:-1]


def test_the_variable_and_every_worker_path_refuse_too(runner, rules_copy, saddle_answers, tmp_path):
    _without(rules_copy, "urgent_saddle_numbness")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(saddle_answers), str(EXAMPLES), "-o", str(out), "-j", "2", "-q"],
                           env={"PLAN_GEN_RULES": str(rules_copy)})
    assert result.exit_code == 1 and result.stderr.splitlines() == _refusal(rules_copy, "saddle_numbness")
    assert not out.exists()
    with pytest.raises(DataError) as caught:  # a worker loads through the same data source
        DataSource(rules=str(rules_copy.resolve())).pair()
    assert [p.location for p in caught.value.problems] == ["red_flags.saddle_numbness"]


def test_explain_and_the_interview_refuse_before_any_question(runner, rules_copy, saddle_answers, tmp_path,
                                                              monkeypatch):
    from test_interview import HAPPY, run

    _without(rules_copy, "urgent_saddle_numbness")
    explained = runner.invoke(cli, ["explain", str(saddle_answers), "--rules", str(rules_copy)])
    assert explained.exit_code == 1 and explained.stderr.splitlines() == _refusal(rules_copy, "saddle_numbness")
    assert explained.stdout == ""
    monkeypatch.chdir(tmp_path)
    asked = run(runner, HAPPY + [""], "--out", "never.pdf", "--save-answers", "never.json", "--rules",
                str(rules_copy))
    assert asked.exit_code == 1 and asked.stderr.splitlines() == _refusal(rules_copy, "saddle_numbness")
    assert asked.stdout == "" and not (tmp_path / "never.pdf").exists() and not (tmp_path / "never.json").exists()


def test_with_the_referral_back_the_same_folder_makes_the_referral(runner, rules_copy, saddle_answers, tmp_path):
    triage = (rules_copy / "10_triage.json").read_text()
    _without(rules_copy, "urgent_saddle_numbness")
    out = tmp_path / "out"
    args = ["batch", str(saddle_answers), "-o", str(out), "--rules", str(rules_copy), "--format", "json", "-q"]
    assert runner.invoke(cli, args).exit_code == 1
    (rules_copy / "10_triage.json").write_text(triage)
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads((out / "saddle.json").read_text())["triage"]["time_frame"] == "now"


def test_rules_check_and_rules_test_still_read_the_folder_to_say_what_is_wrong(runner, rules_copy):
    _without(rules_copy, "urgent_saddle_numbness")
    assert choose(str(rules_copy), reviewing=True).load_rulebook().rules  # loads: the review reports, not refuses
    tested = runner.invoke(cli, ["rules", "test", "--rules", str(rules_copy)])
    assert tested.exit_code == 1 and f"{rules_copy / 'cases' / 'warning_saddle_numbness.json'}: FAILED" in \
        tested.output


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The labels of every warning-sign check the data source runs."""
    seen: list[str] = []
    original = rules_check.refuse_unreferred

    def counting(rulebook, label):
        seen.append(label)
        return original(rulebook, label)

    monkeypatch.setattr(rules_check, "refuse_unreferred", counting)
    _forget()
    yield seen
    _forget()


def _forget() -> None:
    """Load afresh: the loaders keep what they loaded per process."""
    for cached in (data_source._plan_rulebook, data_source._rulebook, shipped_rulebook):
        cached.cache_clear()


def test_the_stamped_shipped_rules_skip_the_check_at_start_up(checks):
    assert DataSource().load_rulebook().stamped
    assert choose(catalogue=str(EXAMPLES.parent / "catalogue")).load_rulebook().stamped  # the shipped rules
    assert checks == []


def test_a_clinics_copy_of_the_shipped_rules_is_checked_and_passes(checks, rules_copy):
    rulebook = choose(str(rules_copy)).load_rulebook()
    assert not rulebook.stamped and checks == [str(rules_copy.resolve())]


def test_without_a_stamp_the_shipped_rules_are_checked(checks, monkeypatch):
    monkeypatch.setattr(verified, "_stamp", lambda: {})
    assert not DataSource().load_rulebook().stamped
    assert checks == ["rules"]


def test_shipped_rules_missing_a_stamped_file_are_checked_and_refused(checks, monkeypatch, rules_copy):
    """Every file left is stamped, but the folder is not the stamped one: the check runs and finds the gap."""
    (rules_copy / "10_triage.json").unlink()
    original = resources.data_root
    monkeypatch.setattr(resources, "data_root",
                        lambda package: rules_copy if package == resources.RULES else original(package))
    with pytest.raises(DataError) as caught:
        DataSource().load_rulebook()
    assert checks == ["rules"] and "red_flags.saddle_numbness" in {p.location for p in caught.value.problems}


def test_the_stamp_is_only_written_for_rules_that_refer_every_sign(monkeypatch, rules_copy):
    _without(rules_copy, "urgent_saddle_numbness")
    original = resources.data_root
    monkeypatch.setattr(resources, "data_root",
                        lambda package: rules_copy if package == resources.RULES else original(package))
    with pytest.raises(DataError) as caught:
        verified.fresh_stamp()
    assert [p.location for p in caught.value.problems] == ["red_flags.saddle_numbness"]
