"""plan-gen checkin --interview: the check-in questions asked one by one, warning signs first."""

from __future__ import annotations

import json

from test_checkin import TODAY, first_plan

from conftest import EXAMPLES
from planner.checkin import check_checkin
from planner.checkin_interview import CheckinInterview
from planner.cli import cli

SIGNS = 18


def drive(answers: list[str], plan: dict | None = None):
    plan = plan or first_plan()
    said: list[str] = []
    todo = list(answers)
    outcome = CheckinInterview(lambda _prompt: todo.pop(0), said.append, plan, TODAY, max_tries=3).run()
    return outcome, said, todo, plan


WEEKS = ["5", "4", "5", "4", "5", "5"]  # a six-week first plan
BEFORE = ["3", "better", *WEEKS, "yes", "none", "flying", "none", "pelvic tilt"]
# examples/office_worker.json rates two activities at the start: the check-in asks for each again
REST = [*BEFORE, "7", "6"]


def test_a_whole_checkin_is_asked_and_checks_like_a_file():
    outcome, said, left, plan = drive(["no"] * SIGNS + REST)
    assert left == []
    data = outcome.data
    assert data["pain"] == {"now": 3, "compared": "better"} and data["sessions_per_week"] == [5, 4, 5, 4, 5, 5]
    assert data["exercises"] == {"hurt": [], "too_hard": [], "too_easy": ["pelvic_tilt"]}
    assert data["activities"] == [{"activity": "Putting on socks", "rating": 7},
                                  {"activity": "Sitting at work for an hour", "rating": 6}]
    assert "Your activities: Sitting at work for an hour" in said  # the start's words, asked again
    assert any('"flying" is not an exercise in your plan' in s for s in said)  # asked again
    assert check_checkin(data, "interview", plan).too_easy == ("pelvic_tilt",)


def test_with_no_activities_at_the_start_the_checkin_asks_the_person_to_name_them():
    plan = first_plan("warehouse_worker")
    weeks = len(plan["weeks"])
    answers = ["no"] * SIGNS + ["3", "better", *["5"] * weeks, "yes", "none", "none", "none", "Putting on socks", "",
                                "7"]
    outcome, _, left, _ = drive(answers, plan)
    assert left == [] and outcome.data["activities"] == [{"activity": "Putting on socks", "rating": 7}]


def test_an_answer_that_needs_care_now_stops_at_once():
    outcome, said, left, _ = drive(["yes"] + ["no"] * (SIGNS - 1) + REST)
    assert outcome.data is None and outcome.urgent.status == "urgent_care"
    assert "STOP: please get emergency care now." in said
    assert len(left) == SIGNS - 1 + len(REST)  # nothing after the first answer was asked


def test_a_sign_that_is_not_an_emergency_is_asked_on_and_refers_in_the_block():
    from planner.checkin import checkin_schema

    answers = ["no"] * SIGNS
    answers[list(checkin_schema()["properties"]["red_flags"]["properties"]).index("upper_back_pain")] = "yes"
    outcome, _, left, plan = drive(answers + REST)  # pain in the upper back: a check soon, not an emergency
    assert left == [] and outcome.data["red_flags"]["upper_back_pain"] is True


def test_piped_interview_writes_the_block_and_the_answers(tmp_path, runner):
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    assert runner.invoke(cli, ["batch", str(EXAMPLES / "office_worker.json"), "--format", "json", "--out-dir",
                               str(tmp_path)], env=env).exit_code == 0
    text = "\n".join(["no"] * SIGNS + REST) + "\n"
    result = runner.invoke(cli, ["checkin", str(tmp_path / "office_worker.json"), "--interview"], input=text, env=env)
    assert result.exit_code == 0, result.output
    saved = json.loads((tmp_path / "office_worker-block1.checkin.json").read_text())
    assert saved["pain"]["now"] == 3 and (tmp_path / "office_worker-block1.pdf").exists()


def test_input_that_runs_out_writes_nothing(tmp_path, runner):
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    runner.invoke(cli, ["batch", str(EXAMPLES / "office_worker.json"), "--format", "json", "--out-dir",
                        str(tmp_path)], env=env)
    result = runner.invoke(cli, ["checkin", str(tmp_path / "office_worker.json"), "--interview"],
                           input="no\nno\n", env=env)
    assert result.exit_code == 1 and "nothing was saved" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office_worker.json"]


def test_a_file_or_the_interview_not_both(tmp_path, runner):
    result = runner.invoke(cli, ["checkin", "p.json", "c.json", "--interview"])
    assert result.exit_code == 2 and "either CHECKIN_FILE or --interview" in result.output
