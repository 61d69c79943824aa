"""FHIR R4: Questionnaire, QuestionnaireResponse, CarePlan and ServiceRequest, validated with fhir.resources.

fhir.resources 8 models R5 by default; its R4B package is the R4 family it
ships. HL7 changed nothing in R4B for these four resources (R4B touched only
the medication-definition, evidence and subscription resources), so an R4B
model checks an R4 resource's structure, types and cardinality.
"""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.servicerequest import ServiceRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, example_paths
from planner.answers import check_answers
from planner.cli import cli
from planner.errors import InvalidInput
from planner.fhir import CHOICE_SYSTEM, answers_from_input, questionnaire
from planner.fields import CONST, RATINGS, answer_fields, get

# Required codes from the R4 value sets (fhir.resources checks a code's form, not its value set).
ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text",
              "url", "choice", "open-choice", "attachment", "reference", "quantity"}
REQUEST_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
INTENTS = {"proposal", "plan", "directive", "order", "original-order", "reflex-order", "filler-order",
           "instance-order", "option"}
PRIORITIES = {"routine", "urgent", "asap", "stat"}
ANSWER_KEYS = {"boolean": "valueBoolean", "integer": "valueInteger", "decimal": "valueDecimal", "date": "valueDate",
               "string": "valueString"}


def response_for(answers: dict, status: str = "completed") -> dict:
    """A QuestionnaireResponse a FHIR form tool would return for these answers."""

    def items(qitems: list[dict]) -> list[dict]:
        out = []
        for q in qitems:
            if q["type"] == "group" and q.get("repeats"):  # one group a listed object (the activities)
                for entry in get(answers, q["linkId"].split(".")) or []:
                    out.append({"linkId": q["linkId"], "item": [
                        {"linkId": i["linkId"], "answer": [{ANSWER_KEYS[i["type"]]: entry[i["linkId"].split(".")[-1]]}]}
                        for i in q["item"]]})
                continue
            if q["type"] == "group":
                inner = items(q["item"])
                if inner:
                    out.append({"linkId": q["linkId"], "item": inner})
                continue
            value = get(answers, q["linkId"].split("."))
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            if q["type"] == "choice":
                answer = [{"valueCoding": {"system": CHOICE_SYSTEM, "code": v}} for v in values]
            else:
                answer = [{ANSWER_KEYS[q["type"]]: v} for v in values]
            if answer:
                out.append({"linkId": q["linkId"], "answer": answer})
        return out

    return {"resourceType": "QuestionnaireResponse", "id": "r1", "status": status,
            "questionnaire": questionnaire()["url"], "subject": {"display": "someone"},
            "item": items(questionnaire()["item"])}


def walk(items: list[dict]):
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def test_questionnaire_is_valid_r4_and_asks_every_schema_field(runner):
    result = runner.invoke(cli, ["schema", "--format", "fhir-questionnaire"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    Questionnaire.model_validate(data)
    items = list(walk(data["item"]))
    questions = {i["linkId"]: i for i in items if i["type"] != "group"}
    assert list(questions) == [p for f in answer_fields() if f.kind != CONST
                               for p in ([f"{f.path}.{n}" for n, _ in f.parts] if f.kind == RATINGS else [f.path])]
    assert all(i["type"] in ITEM_TYPES for i in items)
    level = questions["pain.level"]
    assert level["type"] == "integer" and level["required"] is True and level["text"].startswith("Pain level. ")
    assert [e["valueInteger"] for e in level["extension"]] == [0, 10]
    assert [o["valueCoding"]["code"] for o in questions["posture.slouching"]["answerOption"]] == [
        "rarely", "sometimes", "often"]
    assert questions["equipment"]["repeats"] is True and questions["posture.sitting_hours"]["type"] == "decimal"
    assert questions["plan.weeks"]["initial"] == [{"valueInteger": 6}]
    assert questions["red_flags.saddle_numbness"]["type"] == "boolean"
    # warning-sign questions must be answered and are never pre-filled with "no"
    assert questions["pregnant"]["required"] is True and "initial" not in questions["pregnant"]
    assert questions["cleared_by_professional"]["initial"] == [{"valueBoolean": False}]


@pytest.mark.parametrize("example", [p for p in example_paths() if json.loads(p.read_text())["schema_version"] == 2],
                         ids=lambda p: p.stem)  # a response answers the current questionnaire, version 2
def test_a_response_gives_the_same_plan_as_the_answers_file(runner, tmp_path, example):
    response = response_for(json.loads(example.read_text()))
    QuestionnaireResponse.model_validate(response)
    (tmp_path / "in").mkdir()
    qr = tmp_path / "in" / f"{example.stem}.json"
    qr.write_text(json.dumps(response), encoding="utf-8")
    outs = []
    for source in (example, qr):
        out = tmp_path / f"out-{source.parent.name}"  # never the input folder (batch refuses that)
        result = runner.invoke(cli, ["batch", str(source), "-o", str(out), "--format", "json", "-j", "1"])
        assert result.exit_code == 0, result.output
        outs.append((out / f"{example.stem}.json").read_bytes())
    assert outs[0] == outs[1]


def test_responses_that_cannot_be_read_are_reported(runner, tmp_path, base_answers):
    draft = response_for(base_answers, status="in-progress")
    odd = response_for(base_answers)
    odd["item"].append({"linkId": "pain.lvl", "answer": [{"valueInteger": 3}]})
    next(i for i in odd["item"] if i["linkId"] == "age")["answer"] = [{"valueString": "forty"}]
    lacking = response_for(base_answers)
    lacking["item"] = [i for i in lacking["item"] if i["linkId"] != "red_flags"]
    for name, data in (("draft", draft), ("odd", odd), ("lacking", lacking),
                       ("patient", {"resourceType": "Patient", "id": "x"})):
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    for line in (
        "draft.json: at status: got 'in-progress'; allowed: completed or amended",
        "odd.json: at item age: expected valueInteger",
        "odd.json: at item pain.lvl: not a question of the plan-gen questionnaire",
        "lacking.json: at red_flags: missing; required",
        "patient.json: at resourceType: got 'Patient'; plan-gen reads answers or a FHIR QuestionnaireResponse",
    ):
        assert line in result.output, (line, result.output)


def test_plan_is_a_valid_careplan_with_every_session_and_dose(runner, tmp_path):
    example = EXAMPLES / "office_worker.json"
    out = tmp_path / "out"
    args = ["batch", str(example), "-o", str(out), "-j", "1", "--format"]
    assert runner.invoke(cli, [*args, "json"]).exit_code == 0
    assert runner.invoke(cli, [*args, "fhir"]).exit_code == 0
    data = json.loads((out / "office_worker.fhir.json").read_text())
    plan = json.loads((out / "office_worker.json").read_text())
    CarePlan.model_validate(data)
    assert data["status"] in REQUEST_STATUS and data["intent"] == "proposal"
    assert data["period"]["start"] == plan["settings"]["start_date"]
    scheduled = sorted((a["detail"]["code"]["coding"][0]["code"], day)
                       for a in data["activity"] for day in a["detail"]["scheduledTiming"]["event"])
    planned = sorted((e["id"], s["date"]) for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"])
    assert scheduled == planned
    doses = {(e["id"], s["date"]): tuple(e[k] for k in ("sets", "reps", "hold_seconds", "per_side", "minutes"))
             for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"]}
    for a in data["activity"]:  # one activity holds the sessions of one dose
        code = a["detail"]["code"]["coding"][0]["code"]
        assert len({doses[(code, day)] for day in a["detail"]["scheduledTiming"]["event"]}) == 1
    first = plan["weeks"][0]["sessions"][0]["exercises"][0]
    activity = next(a["detail"] for a in data["activity"] if a["detail"]["code"]["coding"][0]["code"] == first["id"])
    assert f"{first['sets']} sets" in activity["description"] or "times" in activity["description"]
    notes = [n["text"] for n in data["note"]]
    assert all(r["text"] in notes for r in plan["reasons"])
    assert any("Stop and get help now" in n for n in notes)  # the pain rule travels with the plan
    assert any(plan["versions"]["rules_digest"] in n for n in notes)  # which rules made it
    again = tmp_path / "again"
    runner.invoke(cli, ["batch", str(example), "-o", str(again), "-j", "1", "--format", "fhir"])
    assert (again / "office_worker.fhir.json").read_bytes() == (out / "office_worker.fhir.json").read_bytes()


@pytest.mark.parametrize(("name", "priority"), [("red_flag_urgent", "stat"), ("red_flag_see_professional", "routine")])
def test_referral_is_a_valid_service_request(runner, tmp_path, name, priority):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(EXAMPLES / f"{name}.json"), "-o", str(out), "-j", "1",
                                 "--format", "fhir"])
    assert result.exit_code == 0
    data = json.loads((out / f"{name}.fhir.json").read_text())
    ServiceRequest.model_validate(data)
    assert data["resourceType"] == "ServiceRequest" and data["priority"] == priority in PRIORITIES
    assert data["intent"] in INTENTS and data["status"] in REQUEST_STATUS
    assert data["reasonCode"] and all(r["text"] for r in data["reasonCode"])


def test_json_lines_of_responses_as_in_a_bulk_export(runner, tmp_path, base_answers):
    lines = [response_for(base_answers) | {"id": "qr-ann"}, response_for(base_answers | {"age": 3}) | {"id": "qr-2"}]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["batch", str(path), "-o", str(tmp_path / "out"), "--format", "json", "-j", "1"])
    assert result.exit_code == 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["qr-ann.json"]  # named by the resource's id
    assert f"{path}:2: at age: got 3; allowed: a whole number from 18 to 100" in result.output


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                               st.sampled_from(["linkId", "item", "answer", "valueCoding", "code", "valueInteger",
                                                "valueBoolean", "valueString"]), inner, max_size=4), max_leaves=12)


@settings(max_examples=80, deadline=None)
@given(items=json_values, status=st.sampled_from(["completed", "in-progress", None]))
def test_any_response_is_read_or_reported_never_crashes(items, status):
    try:
        check_answers(answers_from_input({"resourceType": "QuestionnaireResponse", "status": status,
                                          "item": items}, "r.json"), "r.json")
    except InvalidInput as exc:
        assert exc.problems


def test_careplan_carries_the_rated_activities_as_goals(runner, tmp_path):
    """The everyday activities and their ratings reach the clinic's record, not only the PDF's chart; a plan
    without them has no goals."""
    out = tmp_path / "out"
    args = ["batch", str(EXAMPLES / "office_worker.json"), str(EXAMPLES / "minimal.json"), "-o", str(out), "-j", "1"]
    assert runner.invoke(cli, [*args, "--format", "fhir"]).exit_code == 0
    data = json.loads((out / "office_worker.fhir.json").read_text())
    CarePlan.model_validate(data)
    answers = json.loads((EXAMPLES / "office_worker.json").read_text())
    goals = {g["id"]: g for g in data["contained"]}
    assert [g["display"] for g in data["goal"]] == [a["activity"] for a in answers["activities"]]
    for ref, rated in zip(data["goal"], answers["activities"], strict=True):
        goal = goals[ref["reference"].removeprefix("#")]
        assert goal["resourceType"] == "Goal" and goal["description"]["text"] == rated["activity"]
        assert f"Start: {rated['rating']} of 10." in goal["note"][0]["text"]
    bare = json.loads((out / "minimal.fhir.json").read_text())
    assert "goal" not in bare and "contained" not in bare


def test_a_checkin_block_careplan_shows_every_rating_so_far():
    from test_checkin import checkin, run

    from planner.fhir import care_plan
    _, _, block = run(checkin(activities=[{"activity": "putting on  SOCKS", "rating": 7}]))
    goal = care_plan(block)["contained"][0]
    assert goal["description"]["text"] == "Putting on socks"  # the name it started with
    assert goal["note"][0]["text"].endswith("Start: 4 of 10; Check-in 1 (after week 2): 7 of 10.")
