"""A clinic's own rules and catalogue: export, use (--rules, --catalogue, the variables), record, check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, add_rule
from planner.cli import cli

ALWAYS_WALL_SQUAT = {
    "id": "clinic_wall_squat",
    "because": "Our clinic adds a wall squat for everyone.",
    "when": {"always": True},
    "then": [{"include": {"exercises": ["wall_squat"], "from_phase": "settle", "priority": 1}}],
}


def _plan(runner, tmp_path: Path, *args: str, env: dict | None = None, name: str = "office_worker") -> dict:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(EXAMPLES / f"{name}.json"), "-o", str(out), "--format", "json",
                                 "-q", *args], env=env)
    assert result.exit_code == 0, result.output
    plan = json.loads((out / f"{name}.json").read_text())
    for path in out.iterdir():
        path.unlink()
    return plan


def _ids(plan: dict) -> set[str]:
    return {e["id"] for e in plan["exercises"]}


def test_export_writes_the_shipped_files_and_never_replaces_one(runner, tmp_path):
    assert runner.invoke(cli, ["rules", "export", str(tmp_path / "r")]).exit_code == 0
    assert runner.invoke(cli, ["catalogue", "export", str(tmp_path / "c")]).exit_code == 0
    assert (tmp_path / "r" / "settings.json").is_file() and (tmp_path / "c" / "exercises" / "walking.json").is_file()
    edited = tmp_path / "r" / "10_triage.json"
    edited.write_text("{}")
    again = runner.invoke(cli, ["rules", "export", str(tmp_path / "r")])
    assert again.exit_code == 1 and "10_triage.json" in again.output and "never replaced" in again.output
    assert edited.read_text() == "{}"


def test_the_catalogue_still_lists_alone_and_lists_a_clinic_folder(runner, tmp_path):
    runner.invoke(cli, ["catalogue", "export", str(tmp_path / "c")])
    (tmp_path / "c" / "exercises" / "walking.json").unlink()
    shipped = json.loads(runner.invoke(cli, ["catalogue", "--format", "json"]).output)
    own = json.loads(runner.invoke(cli, ["catalogue", "--format", "json", "--catalogue", str(tmp_path / "c")]).output)
    assert "walking" in {e["id"] for e in shipped} and "walking" not in {e["id"] for e in own}
    assert len(own) == len(shipped) - 1


def test_a_plan_records_the_shipped_data_by_name(runner, tmp_path):
    versions = _plan(runner, tmp_path)["versions"]
    assert versions["rules_name"] == "shipped" and versions["catalogue_name"] == "shipped"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_own_rules_make_the_plan_in_every_worker_and_are_recorded(runner, rules_copy, tmp_path, jobs):
    shipped = _plan(runner, tmp_path, "-j", jobs)
    assert "wall_squat" not in _ids(shipped)
    add_rule(rules_copy, "30_choice.json", ALWAYS_WALL_SQUAT)
    own = _plan(runner, tmp_path, "-j", jobs, "--rules", str(rules_copy))
    assert "wall_squat" in _ids(own)
    assert own["versions"]["rules_name"] == "rules"
    assert own["versions"]["rules_digest"] != shipped["versions"]["rules_digest"]
    assert own["versions"]["catalogue_digest"] == shipped["versions"]["catalogue_digest"]


def test_the_variable_names_a_clinic_folder_and_the_option_wins(runner, rules_copy, tmp_path):
    add_rule(rules_copy, "30_choice.json", ALWAYS_WALL_SQUAT)
    by_env = _plan(runner, tmp_path, env={"PLAN_GEN_RULES": str(rules_copy)})
    assert "wall_squat" in _ids(by_env) and by_env["versions"]["rules_name"] == "rules"
    exported = tmp_path / "plain"
    runner.invoke(cli, ["rules", "export", str(exported)])
    by_option = _plan(runner, tmp_path, "--rules", str(exported), env={"PLAN_GEN_RULES": str(rules_copy)})
    assert "wall_squat" not in _ids(by_option) and by_option["versions"]["rules_name"] == "plain"


def test_an_own_catalogue_changes_the_dose_and_the_recorded_digest(runner, tmp_path):
    shipped = _plan(runner, tmp_path)
    runner.invoke(cli, ["catalogue", "export", str(tmp_path / "clinic_cat")])
    same = _plan(runner, tmp_path, "--catalogue", str(tmp_path / "clinic_cat"))
    assert same["versions"]["catalogue_digest"] == shipped["versions"]["catalogue_digest"]  # where it sits: no matter
    assert same["versions"]["catalogue_name"] == "clinic_cat"
    walking = tmp_path / "clinic_cat" / "exercises" / "walking.json"
    data = json.loads(walking.read_text())
    data["dose"]["minutes"]["base"] = 10  # the clinic starts its walks at 10 minutes, not 5
    walking.write_text(json.dumps(data))
    own = _plan(runner, tmp_path, "--catalogue", str(tmp_path / "clinic_cat"))
    assert own["versions"]["catalogue_digest"] != shipped["versions"]["catalogue_digest"]

    def first_walk(plan):
        return next(e for e in plan["exercises"] if e["id"] == "walking")["weekly_doses"][0]["minutes"]
    assert first_walk(own) > first_walk(shipped)


def test_explain_reads_the_own_rules(runner, rules_copy):
    add_rule(rules_copy, "30_choice.json", ALWAYS_WALL_SQUAT)
    result = runner.invoke(cli, ["explain", str(EXAMPLES / "office_worker.json"), "--rules", str(rules_copy)])
    assert result.exit_code == 0
    assert "clinic_wall_squat: Our clinic" in result.output and "Rules rules 1." in result.output


def test_a_broken_or_missing_folder_stops_before_any_plan(runner, rules_copy, tmp_path):
    add_rule(rules_copy, "30_choice.json", {**ALWAYS_WALL_SQUAT, "then": [{"include": {"exercises": ["no_such"]}}]})
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(EXAMPLES), "-o", str(out), "--rules", str(rules_copy), "-j", "2"])
    assert result.exit_code == 1 and "30_choice.json" in result.output and "no_such" in result.output
    assert not out.exists() or not any(out.iterdir())
    missing = runner.invoke(cli, ["explain", str(EXAMPLES / "minimal.json")], env={"PLAN_GEN_CATALOGUE": "nowhere"})
    assert missing.exit_code == 1 and "PLAN_GEN_CATALOGUE nowhere: no such folder" in missing.output


# plan-gen rules check: each finding from a copy of the shipped rules broken in one way.

def _check(runner, rules_dir: Path):
    return runner.invoke(cli, ["rules", "check", str(rules_dir)])


def test_the_shipped_rules_have_no_errors_and_name_the_exercises_no_rule_chooses(runner):
    result = runner.invoke(cli, ["rules", "check"])
    assert result.exit_code == 0, result.output
    assert "error:" not in result.output and "0 errors" in result.output
    assert "warning: catalogue/exercises/ankle_pumps.json: at id: no rule can ever choose ankle_pumps" in result.output


def test_a_caution_no_rule_adds_is_a_warning_until_a_rule_adds_it(runner, rules_copy):
    unused = ("warning: catalogue/cautions.json: at id stop_if_worse: no rule can ever add the caution "
              "stop_if_worse: no rule that can fire adds it, so no plan or referral prints it")
    assert unused in _check(runner, rules_copy).output
    adds = [{"add_caution": {"cautions": ["stop_if_worse"]}}]
    add_rule(rules_copy, "30_choice.json", {**ALWAYS_WALL_SQUAT, "then": adds})
    result = _check(runner, rules_copy)
    assert result.exit_code == 0, result.output
    assert "stop_if_worse" not in result.output


def test_a_rule_the_loader_refuses_is_listed_as_an_error(runner, rules_copy):
    add_rule(rules_copy, "30_choice.json", {**ALWAYS_WALL_SQUAT, "then": [{"include": {"exercises": ["no_such"]}}]})
    result = _check(runner, rules_copy)
    assert result.exit_code == 1
    assert "error: " in result.output and "30_choice.json" in result.output and "no_such" in result.output


@pytest.mark.parametrize("when", [
    {"all": [{"fact": "pain.level", "at_least": 8}, {"fact": "pain.level", "at_most": 3}]},
    {"fact": "pain.level", "above": 10},
    {"all": [{"fact": "equipment", "includes": "wall"}, {"any": [{"fact": "equipment", "excludes": "wall"},
                                                               {"fact": "posture.sitting_hours", "below": 0}]}]},
])
def test_a_rule_no_answers_can_fire_is_an_error(runner, rules_copy, when):
    add_rule(rules_copy, "30_choice.json", {**ALWAYS_WALL_SQUAT, "when": when})
    result = _check(runner, rules_copy)
    assert result.exit_code == 1
    assert "at rule clinic_wall_squat: when: no answers can ever fire this rule" in result.output


def test_a_rule_some_answers_fire_is_not_flagged(runner, rules_copy):
    when = {"all": [{"fact": "pain.level", "at_least": 3}, {"fact": "pain.level", "at_most": 3},
                    {"fact": "posture.sitting_hours", "above": 23.99}]}
    add_rule(rules_copy, "30_choice.json", {**ALWAYS_WALL_SQUAT, "when": when})
    result = _check(runner, rules_copy)
    assert result.exit_code == 0 and "clinic_wall_squat" not in result.output


def test_an_include_and_an_exclude_under_the_same_conditions_is_an_error(runner, rules_copy):
    when = {"fact": "floor_ok", "is": True}
    add_rule(rules_copy, "30_choice.json", {**ALWAYS_WALL_SQUAT, "when": when})
    add_rule(rules_copy, "40_protect.json", {"id": "clinic_no_squat", "because": "No wall squats here.",
                                             "when": when, "then": [{"exclude": {"tags": ["legs"]}}]})
    result = _check(runner, rules_copy)
    assert result.exit_code == 1
    assert ("at rule clinic_no_squat: then: excludes wall_squat, which rule clinic_wall_squat includes under the "
            "same conditions") in result.output
    held_back = json.loads((rules_copy / "40_protect.json").read_text())
    held_back["rules"][-1]["then"] = [{"exclude": {"tags": ["legs"], "until_phase": "build"}}]
    (rules_copy / "40_protect.json").write_text(json.dumps(held_back))
    assert _check(runner, rules_copy).exit_code == 0  # held back for a while, then included: meant


def test_a_warning_sign_with_no_referral_rule_is_an_error(runner, rules_copy):
    triage = json.loads((rules_copy / "10_triage.json").read_text())
    triage["rules"] = [r for r in triage["rules"] if "saddle_numbness" not in json.dumps(r["when"])]
    (rules_copy / "10_triage.json").write_text(json.dumps(triage))
    result = _check(runner, rules_copy)
    assert result.exit_code == 1
    assert f"error: {rules_copy.resolve()}: at red_flags.saddle_numbness: no rule gives a referral" in result.output


def test_the_interview_triages_and_plans_with_the_own_rules(runner, rules_copy, tmp_path, monkeypatch):
    from test_interview import HAPPY, run

    monkeypatch.chdir(tmp_path)
    add_rule(rules_copy, "10_triage.json", {
        "id": "clinic_pain_four", "because": "Our clinic sees everyone with pain of 4 or more first.",
        "when": {"fact": "pain.level", "at_least": 4},
        "then": [{"set_status": "see_professional"}, {"referral": {"time_frame": "soon", "clearable": True}}]})
    shipped = run(runner, HAPPY + [""], "--out", "shipped.pdf")
    assert shipped.exit_code == 0 and "plan-gen did not make" not in shipped.output
    own = run(runner, HAPPY + [""], "--out", "own.pdf", "--rules", str(rules_copy))
    assert own.exit_code == 0, own.output
    assert "Our clinic sees everyone with pain of 4 or more first." in own.output
    broken = tmp_path / "broken"
    runner.invoke(cli, ["rules", "export", str(broken)])
    (broken / "settings.json").unlink()
    refused = run(runner, HAPPY, "--out", "never.pdf", "--rules", str(broken))
    assert refused.exit_code == 1 and "settings.json" in refused.output and "[1/" not in refused.output
    assert not (tmp_path / "never.pdf").exists()


# plan-gen rules test: case files (docs/cases.md on the seam branch) against a rules folder.

def _cases(tmp_path: Path, **cases: dict) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for name, case in cases.items():
        (folder / f"{name}.json").write_text(json.dumps(case))
    return folder  # no answers/ beside them: the cases start from the shipped cases' answers


SADDLE = {"about": "Saddle numbness is an emergency: a referral for care now, no plan.",
          "change": {"red_flags.saddle_numbness": True},
          "expect": {"status": "urgent_care", "time_frame": "now"}}
KNEE = {"about": "Pain below the knee: a caution to get it checked.", "change": {"pain.below_knee": True},
        "expect": {"cautions": ["below_knee_check"], "no_exercises": ["no_such_move"]}}
EXTRA = {"about": "A case's own rule reaches the plan through the same loader.",
         "extra_rules": [ALWAYS_WALL_SQUAT], "expect": {"fired": ["clinic_wall_squat"]}}


def test_cases_hold_on_the_shipped_rules(runner, tmp_path):
    folder = _cases(tmp_path, saddle=SADDLE, knee=KNEE, extra=EXTRA)
    result = runner.invoke(cli, ["rules", "test", str(folder)])
    assert result.exit_code == 0, result.output
    assert "3 cases: 3 held, 0 failed." in result.output


def test_a_broken_safety_rule_is_reported_in_plain_words_and_fixed(runner, rules_copy, tmp_path):
    folder = _cases(tmp_path, saddle=SADDLE, knee=KNEE, extra=EXTRA, wrong={**KNEE, "change": {"pain.level": 11}})
    triage_file = rules_copy / "10_triage.json"
    shipped = triage_file.read_text()
    triage = json.loads(shipped)
    triage["rules"] = [r for r in triage["rules"] if "saddle_numbness" not in json.dumps(r["when"])]
    triage_file.write_text(json.dumps(triage))
    result = runner.invoke(cli, ["rules", "test", str(folder), "--rules", str(rules_copy)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    saddle = lines.index(f"{folder / 'saddle.json'}: FAILED")
    assert lines[saddle + 1] == "  the outcome is plan, not urgent_care"
    assert f"{folder / 'knee.json'}: ok" in lines and f"{folder / 'extra.json'}: ok" in lines
    assert "the case file is broken" in result.output and "pain.level" in result.output  # alone; others still ran
    assert "4 cases: 2 held, 2 failed." in result.output
    triage_file.write_text(shipped)
    (folder / "wrong.json").unlink()
    assert runner.invoke(cli, ["rules", "test", str(folder), "--rules", str(rules_copy)]).exit_code == 0


def test_rules_test_without_cases_runs_the_cases_that_came_with_the_rules(runner, tmp_path):
    """Export, delete the saddle-numbness referral: the shipped safety case that breaks is named; restore: all hold."""
    rules_dir = tmp_path / "our_rules"
    runner.invoke(cli, ["rules", "export", str(rules_dir)])
    count = len(list((rules_dir / "cases").glob("*.json")))
    assert count >= 90 and (rules_dir / "cases" / "answers" / "minimal.json").is_file()
    assert runner.invoke(cli, ["rules", "check", str(rules_dir)]).exit_code == 0  # the cases are not rules
    triage_file = rules_dir / "10_triage.json"
    shipped = triage_file.read_text()
    triage = json.loads(shipped)
    triage["rules"] = [r for r in triage["rules"] if r["id"] != "urgent_saddle_numbness"]
    triage_file.write_text(json.dumps(triage))
    result = runner.invoke(cli, ["rules", "test", "--rules", str(rules_dir)])
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.endswith(": FAILED")]
    assert failed == [f"{rules_dir / 'cases' / 'warning_saddle_numbness.json'}: FAILED"], result.output
    assert "  the outcome is plan, not urgent_care" in result.output
    assert "  these rules did not fire: urgent_saddle_numbness" in result.output
    assert f"{count} cases: {count - 1} held, 1 failed." in result.output
    triage_file.write_text(shipped)
    restored = runner.invoke(cli, ["rules", "test", "--rules", str(rules_dir)])
    assert restored.exit_code == 0 and f"{count} cases: {count} held, 0 failed." in restored.output
    shipped_run = runner.invoke(cli, ["rules", "test"])  # no folder: the shipped rules and their cases
    assert shipped_run.exit_code == 0 and f"{count} cases: {count} held, 0 failed." in shipped_run.output


def test_rules_test_without_cases_names_a_rules_folder_without_them(runner, rules_copy):
    shutil.rmtree(rules_copy / "cases")
    result = runner.invoke(cli, ["rules", "test", "--rules", str(rules_copy)])
    assert result.exit_code == 1 and "no cases folder" in result.output and "Traceback" not in result.output


def test_a_clinic_scenario_end_to_end(runner, tmp_path):
    """Export, change one dose and add one rule, check, test, then plan: the change and its digest show."""
    rules_dir, cat_dir = tmp_path / "our_rules", tmp_path / "our_catalogue"
    runner.invoke(cli, ["rules", "export", str(rules_dir)])
    runner.invoke(cli, ["catalogue", "export", str(cat_dir)])
    walking = cat_dir / "exercises" / "walking.json"
    data = json.loads(walking.read_text())
    data["dose"]["minutes"]["base"] = 10
    walking.write_text(json.dumps(data))
    add_rule(rules_dir, "30_choice.json", ALWAYS_WALL_SQUAT)
    both = ["--rules", str(rules_dir), "--catalogue", str(cat_dir)]
    check = runner.invoke(cli, ["rules", "check", str(rules_dir), "--catalogue", str(cat_dir)])
    assert check.exit_code == 0 and "our_rules rules 1.0.0 (67 rules): 0 errors" in check.output
    folder = _cases(tmp_path, saddle=SADDLE, knee=KNEE)
    assert runner.invoke(cli, ["rules", "test", str(folder), *both]).exit_code == 0
    shipped, own = _plan(runner, tmp_path), _plan(runner, tmp_path, *both)
    assert "wall_squat" in _ids(own) and "wall_squat" not in _ids(shipped)
    assert [e for e in own["exercises"] if e["id"] == "walking"][0]["weekly_doses"][0]["minutes"] == 10
    assert own["versions"]["rules_name"] == "our_rules" and own["versions"]["catalogue_name"] == "our_catalogue"
    assert own["versions"]["rules_digest"] != shipped["versions"]["rules_digest"]
    assert own["versions"]["catalogue_digest"] != shipped["versions"]["catalogue_digest"]
    (cat_dir / "exercises" / "ankle_pumps.json").unlink()  # the figures drawn are the clinic's exercises
    figures = runner.invoke(cli, ["figures", "--out", str(tmp_path / "fig"), "--catalogue", str(cat_dir)])
    assert figures.exit_code == 0 and (tmp_path / "fig" / "walking.svg").is_file()
    assert not (tmp_path / "fig" / "ankle_pumps.svg").exists()
