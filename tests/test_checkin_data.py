"""A check-in follows the rules and catalogue its plan was made with (--rules, --catalogue, the variables).

A plan made with a clinic's folders records their names and digests; the check-in is given the same
folders (as batch is), refuses other ones by name with the option to give, and warns when the same
folder was edited since. A rules folder's own `checkin/` rules are used, else the shipped ones.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, REPO, add_rule
from planner.cli import cli

ENV = {"SOURCE_DATE_EPOCH": "1767225600", "PLAN_GEN_RULES": None, "PLAN_GEN_CATALOGUE": None}
CHECKIN = EXAMPLES / "checkins" / "office_worker_week2.json"
CLINIC_TILT = {
    "id": "clinic_tilt_for_all",
    "because": "Our clinic adds this gentle tilt for everyone.",
    "when": {"always": True},
    "then": [{"include": {"exercises": ["clinic_tilt"], "from_phase": "settle", "priority": 2}}],
}
FEWER_PER_SESSION = 4  # the clinic's settings: shorter sessions than the shipped 6


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A clinic's rules and catalogue (an exercise only it has, shorter sessions), and a plan made with both."""
    root = tmp_path_factory.mktemp("clinic")
    rules, catalogue = root / "clinic-rules", root / "clinic-catalogue"
    shutil.copytree(REPO / "rules", rules, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "cases"))
    shutil.copytree(REPO / "catalogue", catalogue, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    tilt = json.loads((catalogue / "exercises" / "pelvic_tilt.json").read_text())
    (catalogue / "exercises" / "clinic_tilt.json").write_text(json.dumps({**tilt, "id": "clinic_tilt",
                                                                          "name": "Clinic tilt"}))
    add_rule(rules, "30_choice.json", CLINIC_TILT)
    settings = json.loads((rules / "settings.json").read_text())
    (rules / "settings.json").write_text(json.dumps({**settings, "max_exercises_per_session": FEWER_PER_SESSION}))
    for name, args in (("clinic", ["--rules", str(rules), "--catalogue", str(catalogue)]), ("shipped", [])):
        result = CliRunner().invoke(cli, ["batch", str(EXAMPLES / "office_worker.json"), "-o", str(root / name),
                                          "--format", "json", "-q", *args], env=ENV)
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def clinic(made, tmp_path) -> Path:
    """A fresh copy of the folders and plans, for a test to edit: (tmp_path)/clinic-rules, ..."""
    for name in ("clinic-rules", "clinic-catalogue", "clinic", "shipped"):
        shutil.copytree(made / name, tmp_path / name)
    return tmp_path


def checkin(*args: str, env: dict | None = None):
    result = CliRunner().invoke(cli, ["checkin", *args], env={**ENV, **(env or {})})
    assert "Traceback" not in result.output
    return result


def versions(folder: Path, name: str = "office_worker") -> dict:
    return json.loads((folder / f"{name}.json").read_text())["versions"]


def test_a_plan_from_a_clinics_folders_goes_on_with_them(clinic):
    rules, catalogue = clinic / "clinic-rules", clinic / "clinic-catalogue"
    result = checkin(str(clinic / "clinic" / "office_worker.json"), str(CHECKIN), "--format", "json",
                     "--rules", str(rules), "--catalogue", str(catalogue))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    block = json.loads((clinic / "clinic" / "office_worker-block1.json").read_text())
    assert {block["versions"][k] for k in ("rules_name", "catalogue_name")} == {"clinic-rules", "clinic-catalogue"}
    assert block["versions"]["rules_digest"] == versions(clinic / "clinic")["rules_digest"]
    assert "clinic_tilt" in {e["id"] for e in block["exercises"]}  # only the clinic's catalogue has it
    # The clinic's settings, not the shipped ones: no session holds more than its 4 exercises and the walk.
    assert max(len(s["exercises"]) for w in block["weeks"] for s in w["sessions"]) <= FEWER_PER_SESSION + 1


def test_the_variables_name_the_folders_too(clinic):
    env = {"PLAN_GEN_RULES": str(clinic / "clinic-rules"), "PLAN_GEN_CATALOGUE": str(clinic / "clinic-catalogue")}
    result = checkin(str(clinic / "clinic" / "office_worker.json"), str(CHECKIN), "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    assert versions(clinic / "clinic", "office_worker-block1")["rules_name"] == "clinic-rules"


def test_a_clinics_plan_checked_in_without_its_folders_is_refused_naming_them(clinic):
    plan = clinic / "clinic" / "office_worker.json"
    made = versions(clinic / "clinic")
    result = checkin(str(plan), str(CHECKIN))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {plan}: at versions.catalogue_name: this plan was made with the exercise catalogue in "
        f"clinic-catalogue (1.0.0, {made['catalogue_digest']}); this check-in uses the shipped exercise catalogue; "
        "give --catalogue with the folder clinic-catalogue (or set PLAN_GEN_CATALOGUE to it), so the next block "
        "follows what the plan was made with",
        f"{plan}: at versions.rules_name: this plan was made with the rules in clinic-rules (1.0.0, "
        f"{made['rules_digest']}); this check-in uses the shipped rules; give --rules with the folder clinic-rules "
        "(or set PLAN_GEN_RULES to it), so the next block follows what the plan was made with"]
    assert sorted(p.name for p in plan.parent.iterdir()) == ["office_worker.json"]


def test_a_shipped_plan_checked_in_with_a_clinics_rules_is_refused(clinic):
    plan = clinic / "shipped" / "office_worker.json"
    made = versions(clinic / "shipped")
    result = checkin(str(plan), str(CHECKIN), "--rules", str(clinic / "clinic-rules"), "--catalogue",
                     str(clinic / "clinic-catalogue"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"{plan}: at versions.rules_name: this plan was made with the shipped rules (1.0.0, {made['rules_digest']}); "
        "this check-in uses the rules in clinic-rules; leave out --rules (and PLAN_GEN_RULES) to use the shipped "
        "rules, so the next block follows what the plan was made with")


def test_the_same_folder_edited_since_goes_on_with_a_warning_naming_both_digests(clinic):
    rules = clinic / "clinic-rules"
    add_rule(rules, "60_advice.json", {**CLINIC_TILT, "id": "clinic_tilt_again"})
    plan = clinic / "clinic" / "office_worker.json"
    result = checkin(str(plan), str(CHECKIN), "--format", "json", "--rules", str(rules), "--catalogue",
                     str(clinic / "clinic-catalogue"))
    assert result.exit_code == 0, result.output
    now = versions(clinic / "clinic", "office_worker-block1")["rules_digest"]
    assert now != versions(clinic / "clinic")["rules_digest"]
    assert result.stderr.splitlines() == [
        f"warning: {plan}: the rules in clinic-rules changed since this plan was made (the plan records "
        f"{versions(clinic / 'clinic')['rules_digest']}, now {now}); the next block follows them as they are now"]


def test_an_exercise_the_edited_catalogue_no_longer_has_is_refused(clinic):
    catalogue = clinic / "clinic-catalogue"
    (catalogue / "exercises" / "clinic_tilt.json").unlink()
    (clinic / "clinic-rules" / "30_choice.json").write_text((REPO / "rules" / "30_choice.json").read_text())
    plan = clinic / "clinic" / "office_worker.json"
    index = [e["id"] for e in json.loads(plan.read_text())["exercises"]].index("clinic_tilt")
    result = checkin(str(plan), str(CHECKIN), "--rules", str(clinic / "clinic-rules"), "--catalogue", str(catalogue))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'Error: {plan}: at exercises[{index}].id: "clinic_tilt" is not in the exercise catalogue in '
        "clinic-catalogue as it is now; put it back, or make a new plan from its answers (plan-gen batch), then "
        "check in against the new plan"]


def test_a_missing_folder_is_refused_as_batch_refuses_it(clinic):
    result = checkin(str(clinic / "clinic" / "office_worker.json"), str(CHECKIN), "--rules", str(clinic / "nowhere"))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: --rules {clinic / 'nowhere'}: no such folder; name a folder made by plan-gen "
                             "rules export\n")


def test_rules_with_an_unreferred_warning_sign_are_refused(clinic):
    from test_unreferred_signs import _refusal, _without

    rules = clinic / "clinic-rules"
    _without(rules, "urgent_saddle_numbness")
    result = checkin(str(clinic / "clinic" / "office_worker.json"), str(CHECKIN), "--rules", str(rules),
                     "--catalogue", str(clinic / "clinic-catalogue"))
    assert result.exit_code == 1 and result.stderr.splitlines() == _refusal(rules, "saddle_numbness")
    assert sorted(p.name for p in (clinic / "clinic").iterdir()) == ["office_worker.json"]


def _changes(clinic: Path) -> list[str]:
    block = json.loads((clinic / "clinic" / "office_worker-block1.json").read_text())
    return [c["text"] for c in block["checkin"]["changes"]]


OWN_ON_TRACK = "Our clinic says you are on track, so your plan moves on."


def test_the_rules_folders_own_checkin_rules_are_used_else_the_shipped_ones(clinic):
    own = clinic / "clinic-rules" / "checkin" / "20_adapt.json"
    rules = json.loads(own.read_text())
    shipped_text = next(r["because"] for r in rules["rules"] if r["id"] == "checkin_on_track")
    for rule in rules["rules"]:
        if rule["id"] == "checkin_on_track":
            rule["because"] = OWN_ON_TRACK
    own.write_text(json.dumps(rules))
    args = [str(clinic / "clinic" / "office_worker.json"), str(CHECKIN), "--format", "json", "--rules",
            str(clinic / "clinic-rules"), "--catalogue", str(clinic / "clinic-catalogue")]
    assert checkin(*args).exit_code == 0
    assert OWN_ON_TRACK in _changes(clinic) and shipped_text not in _changes(clinic)
    (clinic / "clinic" / "office_worker-block1.json").unlink()
    shutil.rmtree(own.parent)
    assert checkin(*args).exit_code == 0
    assert shipped_text in _changes(clinic) and OWN_ON_TRACK not in _changes(clinic)


def test_broken_checkin_rules_stop_the_checkin_and_rules_check_names_them(clinic):
    own = clinic / "clinic-rules" / "checkin" / "20_adapt.json"
    rules = json.loads(own.read_text())
    rules["rules"][0]["when"] = {"fact": "checkin.pain_change", "at_least": "two"}
    own.write_text(json.dumps(rules))
    rid = rules["rules"][0]["id"]
    result = checkin(str(clinic / "clinic" / "office_worker.json"), str(CHECKIN), "--rules",
                     str(clinic / "clinic-rules"), "--catalogue", str(clinic / "clinic-catalogue"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {own.resolve()}: at rule {rid}: when")
    assert sorted(p.name for p in (clinic / "clinic").iterdir()) == ["office_worker.json"]
    check = CliRunner().invoke(cli, ["rules", "check", str(clinic / "clinic-rules"), "--catalogue",
                                     str(clinic / "clinic-catalogue")], env=ENV)
    assert check.exit_code == 1
    assert [line for line in check.output.splitlines() if line.startswith("error:")] == [
        f"error: {own.resolve()}: at {line.split(' at ', 1)[1]}" for line in result.stderr.splitlines()]


def test_batch_workers_use_the_folders_and_refuse_a_plan_made_without_them(clinic, tmp_path):
    plans = clinic / "clinic"
    shutil.copy(clinic / "shipped" / "office_worker.json", plans / "other.json")
    checkins = tmp_path / "c.jsonl"
    record = json.loads(CHECKIN.read_text())
    checkins.write_text("".join(json.dumps({**record, "plan_id": p}) + "\n" for p in ("office_worker", "other")))
    result = checkin("--batch", str(plans), str(checkins), "-j", "2", "--format", "json", "--rules",
                     str(clinic / "clinic-rules"), "--catalogue", str(clinic / "clinic-catalogue"))
    assert result.exit_code == 1
    assert versions(plans, "office_worker-block1")["catalogue_name"] == "clinic-catalogue"
    assert not (plans / "other-block1.json").exists()
    made = versions(plans, "other")
    assert result.stderr.splitlines() == [
        f"{checkins}:2: at plan_id ({plans / 'other.json'}: versions.catalogue_name): this plan was made with the "
        f"shipped exercise catalogue (1.0.0, {made['catalogue_digest']}); this check-in uses the exercise catalogue "
        "in clinic-catalogue; leave out --catalogue (and PLAN_GEN_CATALOGUE) to use the shipped exercise "
        "catalogue, so the next block follows what the plan was made with",
        f"{checkins}:2: at plan_id ({plans / 'other.json'}: versions.rules_name): this plan was made with the "
        f"shipped rules (1.0.0, {made['rules_digest']}); this check-in uses the rules in clinic-rules; leave out "
        "--rules (and PLAN_GEN_RULES) to use the shipped rules, so the next block follows what the plan was made "
        "with"]


def test_the_interview_refuses_a_plan_made_with_other_rules_before_the_first_question(clinic):
    plan = clinic / "shipped" / "office_worker.json"
    result = CliRunner().invoke(cli, ["checkin", str(plan), "--interview", "--rules", str(clinic / "clinic-rules"),
                                      "--catalogue", str(clinic / "clinic-catalogue")], env=ENV, input="no\n" * 30)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[1].startswith(f"{plan}: at versions.rules_name: this plan was made with the "
                                                    "shipped rules")


def test_a_range_narrowed_since_the_plan_bounds_the_next_block(clinic):
    path = clinic / "clinic-catalogue" / "exercises" / "pelvic_tilt.json"
    tilt = json.loads(path.read_text())
    tilt["dose"]["reps"] = {"base": 10, "range": [10, 11]}
    path.write_text(json.dumps(tilt))
    plan = json.loads((clinic / "clinic" / "office_worker.json").read_text())
    before = next(e for e in plan["exercises"] if e["id"] == "pelvic_tilt")["weekly_doses"]
    assert max(w["reps"] for w in before if w["week"] <= 2) > 11  # the plan went past the new top
    result = checkin(str(clinic / "clinic" / "office_worker.json"), str(CHECKIN), "--format", "json", "--rules",
                     str(clinic / "clinic-rules"), "--catalogue", str(clinic / "clinic-catalogue"))
    assert result.exit_code == 0, result.output
    assert "the exercise catalogue in clinic-catalogue changed since this plan was made" in result.stderr
    block = json.loads((clinic / "clinic" / "office_worker-block1.json").read_text())
    after = next(e for e in block["exercises"] if e["id"] == "pelvic_tilt")["weekly_doses"]
    assert after and {w["reps"] for w in after} <= {10, 11}


def test_the_interview_stops_on_the_clinics_own_emergency_signs(tmp_path):
    """The interview's triage runs the rules the check-in was given: a clinic that sends a fever to emergency
    care stops the interview there, where the shipped rules ask on (a doctor today)."""
    from test_checkin import TODAY, first_plan
    from test_checkin_interview import REST, SIGNS, drive

    from planner.checkin_interview import CheckinInterview
    from planner.data_source import choose

    rules = tmp_path / "clinic-rules"
    shutil.copytree(REPO / "rules", rules, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "cases"))
    triage = json.loads((rules / "10_triage.json").read_text())
    fever = next(r for r in triage["rules"] if r["id"] == "today_fever")
    fever["then"] = [{"set_status": "urgent_care"}, {"referral": {"time_frame": "now"}}]
    (rules / "10_triage.json").write_text(json.dumps(triage))
    answers = ["no"] * 7 + ["yes"] + ["no"] * (SIGNS - 8) + REST
    shipped, _, _, _ = drive(answers)
    assert shipped.data is not None and shipped.data["red_flags"]["fever"] is True
    todo = list(answers)
    own = CheckinInterview(lambda _prompt: todo.pop(0), lambda _text: None, first_plan(), TODAY, max_tries=3,
                           data=choose(str(rules))).run()
    assert own.data is None and own.urgent.status == "urgent_care"
    assert len(todo) == SIGNS - 8 + len(REST)  # nothing after the fever answer was asked
