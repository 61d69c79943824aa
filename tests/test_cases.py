"""Case files: one person's answers and what must hold, as data (rules/cases/*.json; format in docs/cases.md).

The cases ship with the rules, and planner.cases runs them, the same code as
`plan-gen rules test`: this file only finds them and asks that each holds. The
coverage tests below make sure every warning sign, every shipped rule and every
conflict policy has a case.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, TODAY
from planner.answers import answers_schema
from planner.build import shipped_rulebook
from planner.cases import POLICIES, run_case
from planner.data_source import DataSource
from planner.decide import POLICIES as DECIDE_POLICIES

CASES = REPO / "rules" / "cases"
TRIAGE_ROWS = json.loads((REPO / "docs" / "triage.json").read_text(encoding="utf-8"))["rows"]


def case_paths() -> list[Path]:
    return sorted(CASES.glob("*.json"))


def read_case(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", case_paths(), ids=lambda p: p.stem)
def test_case(path):
    result = run_case(path, DataSource(), TODAY)
    assert result.failures == (), f"{path.name}: {result.failures}"


def test_the_cases_answers_are_the_examples_byte_for_byte():
    """The answers the shipped cases start from are copies of examples/: they cannot drift apart."""
    answers = sorted((CASES / "answers").glob("*.json"))
    assert answers
    for path in answers:
        assert path.read_bytes() == (EXAMPLES / path.name).read_bytes(), path.name


# --- every warning sign, rule and conflict policy has a case --------------------------------

def _all_cases() -> list[dict]:
    return [read_case(p) for p in case_paths()]


def test_every_warning_sign_alone_has_a_case_that_agrees_with_the_triage_table():
    """Each v2 warning sign set alone: the case's status and time frame are the triage table's (a plan if no row)."""
    rows = {tuple(sorted(r["answers"].items())): r for r in TRIAGE_ROWS}
    for flag in answers_schema()["properties"]["red_flags"]["properties"]:
        alone = [c for c in _all_cases() if c.get("change") == {f"red_flags.{flag}": True} and not c.get("extra_rules")]
        assert alone, f"no case with red_flags.{flag} alone"
        row = rows.get(((f"red_flags.{flag}", True),))
        want = (row["outcome"], row["time_frame"]) if row else ("plan", None)
        for case in alone:
            assert (case["expect"].get("status"), case["expect"].get("time_frame", "unset")) == want, flag


def test_every_triage_row_has_a_case():
    """Every row of docs/triage.json: a case with exactly its answers, its rule, outcome and time frame."""
    for row in TRIAGE_ROWS:
        cases = [c["expect"] for c in _all_cases() if c.get("change") == row["answers"]]
        assert any(e.get("status") == row["outcome"] and e.get("time_frame") == row["time_frame"]
                   and row["rule"] in e.get("fired", ()) for e in cases), row["rule"]


def test_every_shipped_rule_fires_in_a_case():
    fired = {rid for case in _all_cases() if not case.get("extra_rules") for rid in case["expect"].get("fired", ())}
    assert set(shipped_rulebook().rules) - fired == set()


def test_every_conflict_policy_has_a_case():
    shown = {p for case in _all_cases() for p in case.get("policy", ())}
    assert set(POLICIES) - shown == set()


def test_every_policy_of_decide_is_shown_by_a_case():
    """planner.decide.POLICIES names one policy per action: each is shown by some case's finer policy."""
    assert {action for action, _ in POLICIES.values()} == set(DECIDE_POLICIES)


def test_policies_are_the_ones_documented():
    text = (REPO / "docs" / "cases.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in text for name in POLICIES)
