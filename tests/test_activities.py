"""Everyday activities in the first questionnaire: a list of objects, through every walker of the answers schema.

The activities (up to three, each the person's words and a 0-10 rating) are the start of the check-in chart;
here each format and front end that walks the answers schema is checked to read and write them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fhir import response_for

from conftest import BASE_ANSWERS, EXAMPLES
from planner.answers import check_answers, load_answers
from planner.build import make_plan
from planner.checkin import check_checkin
from planner.csv_input import csv_records, to_csv
from planner.errors import InvalidInput
from planner.fhir import answers_from_response, questionnaire
from planner.fields import RATINGS, answer_fields
from planner.inputs import check_record
from planner.next_block import next_block
from planner.pdf.clinician import answer_rows
from planner.render_json import plan_json
from strategies import answers as valid_answers

TODAY = dt.date(2026, 11, 27)
TWO = [{"activity": "Putting on socks", "rating": 4}, {"activity": "Work: sitting for an hour", "rating": 3}]


def person(activities=TWO) -> dict:
    data = copy.deepcopy(BASE_ANSWERS)
    if activities is not None:
        data["activities"] = copy.deepcopy(activities)
    return data


def test_activities_are_optional_at_most_three_and_rated_0_to_10():
    assert "activities" not in check_answers(person(None), "a")
    assert check_answers(person(), "a")["activities"] == TWO
    assert check_answers(person([{"activity": "Gardening", "rating": 6.0}]), "a")["activities"][0]["rating"] == 6
    with pytest.raises(InvalidInput) as err:
        check_answers(person([{"activity": "", "rating": 11}, *TWO, *TWO]), "a")
    assert [str(p) for p in err.value.problems] == [
        'a: at activities: got [{"activity": "", "rating": 11}, {"ac...; allowed: a list of up to 3 activities, each '
        '{"activity": a few words, "rating": a whole number from 0 to 10}',
        "a: at activities[0].activity: got \"\"; allowed: text of 1 to 60 characters, not only spaces, on one line",
        "a: at activities[0].rating: got 11; allowed: a whole number from 0 to 10"]


def test_the_field_walker_sees_one_ratings_field_with_its_words_first():
    (field,) = [f for f in answer_fields() if f.path.startswith("activities")]
    assert (field.path, field.kind, [name for name, _ in field.parts]) == ("activities", RATINGS,
                                                                           ["activity", "rating"])
    assert all(f.kind != RATINGS or [n["type"] for _, n in f.parts] == ["string", "integer"] for f in answer_fields())


def test_plan_and_plan_json_carry_them_and_the_chart_starts_from_them():
    plan = make_plan(check_answers(person(), "a"), TODAY)
    assert plan.activities == ("Putting on socks", "Work: sitting for an hour")
    data = json.loads(plan_json(plan))
    assert data["answers"]["activities"] == TWO and data["checkin"]["history"][0]["activities"] == TWO
    assert make_plan(check_answers(person(None), "a"), TODAY).activities == ()


def test_a_checkin_matches_them_by_name_and_the_next_block_names_the_latest():
    plan = json.loads(plan_json(make_plan(check_answers(person(), "a"), TODAY)))
    ci = check_checkin({"checkin_version": 1, "red_flags": BASE_ANSWERS["red_flags"], "after_week": 2,
                        "pain": {"now": 3, "compared": "better"}, "sessions_per_week": [5, 5],
                        "settled_by_morning": True,
                        "activities": [{"activity": " putting ON socks", "rating": 6},
                                       {"activity": "Gardening", "rating": 2}]}, "c", plan)
    assert [a["activity"] for a in ci.data["activities"]] == ["Putting on socks", "Gardening"]
    block = next_block(plan, ci, 2, TODAY)
    assert block.activities == ("Putting on socks", "Gardening")  # what the next printed form asks about


def test_csv_cell_reads_words_and_ratings_and_names_a_bad_item(tmp_path):
    rows = to_csv([person(), person(None)]).splitlines()
    header = rows[0].split(",")
    at = header.index("activities")
    assert rows[1].split(",")[at] == "Putting on socks: 4;Work: sitting for an hour: 3"
    bad = [*rows[1].split(",")]
    path = tmp_path / "people.csv"
    bad[at] = "socks: 11"
    worse = [*rows[1].split(",")]
    worse[at] = "socks 4"
    path.write_text("\n".join([rows[0], rows[1], rows[2], ",".join(bad), ",".join(worse)]) + "\n")
    checked = [check_record(r) for r in csv_records(str(path))]
    assert checked[0].answers["activities"] == TWO and "activities" not in checked[1].answers
    assert [str(p) for p in checked[2].problems] == [
        f"{path}:row 4: at column activities: item 1, rating: got 11; allowed: a whole number from 0 to 10"]
    assert [str(p) for p in checked[3].problems] == [
        f'{path}:row 5: at column activities: got "socks 4"; allowed: up to 3 items such as putting on socks: 6, '
        "each a few words, a colon and a whole number from 0 to 10, separated by ; (or none)"]


def test_fhir_asks_them_as_a_repeating_group_and_reads_each_repetition_back():
    form = questionnaire()
    Questionnaire.model_validate(form)
    group = next(i for i in form["item"] if i["linkId"] == "activities")
    assert (group["type"], group["repeats"], group["extension"][0]["valueInteger"]) == ("group", True, 3)
    assert [(i["linkId"], i["type"]) for i in group["item"]] == [("activities.activity", "string"),
                                                                 ("activities.rating", "integer")]
    response = response_for(person())
    QuestionnaireResponse.model_validate(response)
    assert check_answers(answers_from_response(response, "r"), "r")["activities"] == TWO
    assert "activities" not in answers_from_response(response_for(person(None)), "r")
    broken = response_for(person())
    first = next(i for i in broken["item"] if i["linkId"] == "activities")
    first["item"] = [first["item"][0], {"linkId": "activities.when", "answer": [{"valueString": "x"}]}]
    with pytest.raises(InvalidInput) as err:
        answers_from_response(broken, "r")
    assert [str(p) for p in err.value.problems] == [
        "r: at item activities.rating (1): needs one answer in each repetition of the group",
        "r: at item activities.when (1): not a question of the activities group"]


def test_the_clinicians_copy_lists_them_with_their_ratings():
    rows = dict(answer_rows(check_answers(person(), "a")))
    assert rows["Everyday activities"] == "Putting on socks 4/10; Work: sitting for an hour 3/10"
    assert dict(answer_rows(check_answers(person(None), "a")))["Everyday activities"] == "not given"


def test_upgrade_leaves_version_1_without_them_and_keeps_a_version_2_files(tmp_path):
    from planner.upgrade import partial_to_current, upgrade_file

    done = upgrade_file(EXAMPLES / "older_adult_no_floor.json", tmp_path, False)  # version 1 never asked them
    written = json.loads((tmp_path / "older_adult_no_floor.json").read_text())
    assert "activities" not in written and "activities" not in load_answers(tmp_path / "older_adult_no_floor.json")
    assert done.target is not None
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(person()))
    assert upgrade_file(mine, None, False).message == "already version 2; nothing written"
    assert partial_to_current(person())["activities"] == TWO  # the interview keeps them and asks the rest


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_answers(red_flag=st.just(False)))
def test_any_activities_reach_the_plan_json_and_come_back_from_fhir(raw):
    answers = check_answers(raw, "h")
    given_ones = answers.get("activities", [])
    plan = make_plan(answers, TODAY)
    assert plan.activities == tuple(a["activity"] for a in given_ones)
    data = json.loads(plan_json(plan))
    assert data["checkin"]["history"][0]["activities"] == given_ones == data["answers"].get("activities", [])
    back = check_answers(answers_from_response(response_for(answers), "r"), "r")
    assert back.get("activities", []) == given_ones
