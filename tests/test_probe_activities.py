"""Activities as a hostile but realistic user writes them: blank or two-line names, one activity twice in other
case, a rating of 10.5. Each is refused with one clear message naming the field, in every front end."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from conftest import BASE_ANSWERS, EXAMPLES
from planner.answers import check_answers
from planner.build import make_plan
from planner.checkin import check_checkin
from planner.cli import cli
from planner.csv_input import to_csv
from planner.errors import InvalidInput
from planner.render_json import plan_json

WORDS = "text of 1 to 60 characters, not only spaces, on one line"
TWICE = "is the same activity as activities[0] (\"Gardening\"); name each activity once"


def person(activities) -> dict:
    return {**copy.deepcopy(BASE_ANSWERS), "activities": activities}


def problems(data, check=check_answers, *args) -> list[str]:
    with pytest.raises(InvalidInput) as err:
        check(data, "a", *args)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("name", ["   ", "Garden\ning", "Gardening\n", "\tGardening", "Gar\x00den"])
def test_a_blank_or_two_line_activity_name_is_refused(name):
    assert problems(person([{"activity": name, "rating": 4}])) == [
        f"a: at activities[0].activity: got {json.dumps(name)}; allowed: {WORDS}"]


def test_names_in_any_script_with_inner_spaces_still_pass():
    names = ["Putting on socks", "  Gardening ", "Γράφω", "散歩", "Work: sitting 1:2"]
    assert [a["activity"] for a in check_answers(person([{"activity": n, "rating": 4} for n in names[:3]]), "a")[
        "activities"]] == names[:3]
    assert check_answers(person([{"activity": n, "rating": 4} for n in names[3:]]), "a")["activities"][1] == {
        "activity": "Work: sitting 1:2", "rating": 4}


def test_one_activity_twice_in_other_case_or_spacing_is_refused():
    given = [{"activity": "Gardening", "rating": 3}, {"activity": " gardening ", "rating": 5},
             {"activity": "GARDENING", "rating": 6}]
    assert problems(person(given)) == [f'a: at activities[1].activity: " gardening " {TWICE}',
                                       f'a: at activities[2].activity: "GARDENING" {TWICE}']


def test_a_checkin_naming_one_activity_twice_is_refused():
    plan = json.loads(plan_json(make_plan(check_answers(person([{"activity": "Gardening", "rating": 3}]), "p"),
                                          dt.date(2026, 1, 1))))
    checkin = json.loads((EXAMPLES / "checkins" / "office_worker_week2.json").read_text())
    checkin["activities"] = [{"activity": "Gardening", "rating": 3}, {"activity": "gardening", "rating": 5}]
    assert problems(checkin, check_checkin, plan) == [f'a: at activities[1].activity: "gardening" {TWICE}']


def test_a_rating_of_10_5_is_one_problem_not_two():
    assert problems(person([{"activity": "Gardening", "rating": 10.5}])) == [
        "a: at activities[0].rating: got a number (10.5); allowed: a whole number from 0 to 10"]


def test_a_csv_cell_with_one_activity_twice_names_the_row_and_column(tmp_path):
    rows = to_csv([person([{"activity": "Gardening", "rating": 4}, {"activity": "gardening", "rating": 5}])])
    (tmp_path / "p.csv").write_text(rows)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "p.csv")])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f'{tmp_path / "p.csv"}:row 2: at column activities: item 2, activity: "gardening" {TWICE}')


def test_the_interview_asks_again_for_an_activity_already_in_the_list(tmp_path, monkeypatch):
    from test_interview import HAPPY

    monkeypatch.chdir(tmp_path)
    typed = ["Gardening", "4", " gardening ", "Walking", "5", ""]
    result = CliRunner().invoke(cli, ["interview", "--save-answers", "a.json"], input="\n".join(HAPPY[:-1] + typed +
                                                                                                 [""]) + "\n")
    assert result.exit_code == 0, result.output
    assert '"gardening" is in your list already. Name another activity, or press Enter when done.' in result.output
    assert json.loads((tmp_path / "a.json").read_text())["activities"] == [{"activity": "Gardening", "rating": 4},
                                                                            {"activity": "Walking", "rating": 5}]


def test_piped_answers_naming_one_activity_again_and_again_end_with_exit_1(tmp_path, monkeypatch):
    from test_interview import HAPPY

    monkeypatch.chdir(tmp_path)
    typed = ["Gardening", "4", "gardening", "GARDENING", "Gardening"]
    result = CliRunner().invoke(cli, ["interview", "--save-answers", "a.json"], input="\n".join(HAPPY[:-1] + typed +
                                                                                                 [""]) + "\n")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == ('Error: No usable answer to "Activity" after 3 tries on standard '
                                              "input; check the piped answers. Nothing was saved.")
    assert not (tmp_path / "a.json").exists()


def test_the_checkin_interview_asks_again_for_an_activity_already_named():
    from test_checkin import first_plan
    from test_checkin_interview import SIGNS, drive

    plan = first_plan("warehouse_worker")
    answers = ["no"] * SIGNS + ["3", "better", *["5"] * len(plan["weeks"]), "yes", "none", "none", "none",
                                "Putting on socks", "putting on SOCKS", "Lifting", "", "7", "6"]
    outcome, said, left, _ = drive(answers, plan)
    assert left == [] and outcome.data["activities"] == [{"activity": "Putting on socks", "rating": 7},
                                                         {"activity": "Lifting", "rating": 6}]
    assert '"putting on SOCKS" is in your list already. Name another activity, or press Enter when done.' in said


def test_upgrade_does_not_call_a_file_naming_one_activity_twice_valid(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(person([{"activity": "Gardening", "rating": 3},
                                                        {"activity": "gardening", "rating": 5}])))
    result = CliRunner().invoke(cli, ["upgrade", str(tmp_path / "a.json")])
    assert result.exit_code == 1
    assert result.output.splitlines() == [f'{tmp_path / "a.json"}: at activities[1].activity: "gardening" {TWICE}']


def test_interview_answers_file_naming_one_activity_twice_is_refused_before_the_first_question(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(person([{"activity": "Gardening", "rating": 3},
                                                        {"activity": "gardening", "rating": 5}])))
    result = CliRunner().invoke(cli, ["interview", "--answers", str(tmp_path / "a.json"), "--out",
                                      str(tmp_path / "a.pdf")], input="\n")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f'Error: {tmp_path / "a.json"}: at activities[1].activity: "gardening" {TWICE}')
    assert "[1/" not in result.output and not (tmp_path / "a.pdf").exists()


def test_interview_answers_file_with_an_activity_lacking_its_words_names_the_file(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"schema_version": 2, "activities": [{"rating": 3}]}))
    result = CliRunner().invoke(cli, ["interview", "--answers", str(tmp_path / "a.json"), "--out",
                                      str(tmp_path / "a.pdf")], input="\n")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {tmp_path / 'a.json'}: at activities[0].activity: missing; required: Activity: {WORDS}")
    assert "[1/" not in result.output


def test_a_checkin_with_four_activities_says_what_is_allowed_as_the_answers_do():
    plan = json.loads(plan_json(make_plan(check_answers(person([{"activity": "Gardening", "rating": 3}]), "p"),
                                          dt.date(2026, 1, 1))))
    checkin = json.loads((EXAMPLES / "checkins" / "office_worker_week2.json").read_text())
    checkin["activities"] = [{"activity": f"A{i}", "rating": 3} for i in range(4)]
    assert problems(checkin, check_checkin, plan) == [
        'a: at activities: got [{"activity": "A0", "rating": 3}, {"a...; allowed: a list of up to 3 activities, each '
        '{"activity": a few words, "rating": a whole number from 0 to 10}']
