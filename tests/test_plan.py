"""Plans as a whole: JSON output and rules changed as data (personas are case files in tests/cases)."""

from __future__ import annotations

import json

from conftest import REPO, TODAY, add_rule, answers_with
from planner.answers import check_answers
from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.render_json import plan_json, plan_to_dict
from planner.rules import load_rulebook
from planner.validation import validator


def plan_for(**changes):
    return make_plan(check_answers(answers_with(**changes), "x.json"), TODAY)


def ids(plan):
    return {c.id for c in plan.exercises}


def test_json_matches_its_schema_and_is_byte_identical():
    plan = plan_for(**{"posture.sitting_hours": 9})
    data = plan_to_dict(plan)
    schema = json.loads((REPO / "planner" / "schemas" / "plan.schema.json").read_text())
    assert not list(validator(schema).iter_errors(data))
    assert plan_json(plan) == plan_json(plan_for(**{"posture.sitting_hours": 9}))


def test_a_rule_file_change_changes_the_plan_without_code(rules_copy):
    add_rule(rules_copy, "30_choice.json", {
        "id": "always_ankle_pumps", "because": "A clinician added ankle pumps for everyone.", "when": {"always": True},
        "then": [{"include": {"exercises": ["ankle_pumps"], "priority": 1}}]})
    book = load_rulebook(shipped_catalogue(), rules_copy)
    answers = check_answers(answers_with(), "x.json")
    assert "ankle_pumps" not in ids(make_plan(answers, TODAY))
    assert "ankle_pumps" in ids(make_plan(answers, TODAY, rulebook=book))
