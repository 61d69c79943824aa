"""Case files: one person's answers and what must hold, as data (tests/cases/*.json; format in docs/cases.md).

Every file in tests/cases is found and checked here, so a physiotherapist adds
a case without writing Python. The coverage tests below make sure every
warning sign, every shipped rule and every conflict policy has a case.
"""

from __future__ import annotations

import copy
import json
import shutil
from functools import cache
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, TODAY
from planner.answers import check_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.engine import engine_for
from planner.model import Plan
from planner.rules import Rulebook, load_rulebook
from planner.triage import triage
from planner.validation import validator
from planner.vocabulary import RED_FLAGS

CASES = REPO / "tests" / "cases"
CASE_SCHEMA = json.loads((REPO / "tests" / "case.schema.json").read_text(encoding="utf-8"))
# The conflict policies of planner.decide: when rules disagree, these settle it, never the firing order.
POLICIES = {
    "most_serious_status": "urgent care beats see a professional; only the most serious rules are the reasons",
    "exclusion_beats_inclusion": "an exercise one rule includes and another excludes stays out",
    "latest_exclusion": "of several exclusions, the latest week wins; one for the whole plan beats any week",
    "earliest_phase": "an exercise included from several phases starts in the earliest",
    "highest_priority": "an exercise included at several priorities keeps the most important (lowest number)",
    "longest_stay": "an exercise included until several phases stays until the latest (or to the end)",
    "cautious_start": "a start at the bottom of the range beats a start at the base",
    "slow_pace": "a slow pace beats a normal one",
    "lowest_set_dose": "of several set_dose values, the lowest starting dose wins",
    "dose_inside_range": "a set_dose value is kept inside the catalogue's range",
    "caution_rank": "a caution added at several ranks prints at the lowest; cautions print by rank",
}


def case_paths() -> list[Path]:
    return sorted(CASES.glob("*.json"))


def read_case(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def case_answers(case: dict) -> dict:
    """The base example with the case's changes, by dotted path."""
    data = json.loads((EXAMPLES / f"{case.get('base', 'minimal')}.json").read_text(encoding="utf-8"))
    for path, value in case.get("change", {}).items():
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = copy.deepcopy(value)
    return data


@cache
def _rulebook_with(extra: str, folder: Path) -> Rulebook:
    target = folder / f"rules-{abs(hash(extra))}"
    if not target.exists():
        shutil.copytree(REPO / "rules", target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
        (target / "90_case.json").write_text(json.dumps({"rules": json.loads(extra)}), encoding="utf-8")
    return load_rulebook(shipped_catalogue(), target)


def rulebook_for(case: dict, folder: Path) -> Rulebook:
    """The shipped rules, plus the case's extra rules in a file of their own (checked by the same loader)."""
    if not case.get("extra_rules"):
        return shipped_rulebook()
    return _rulebook_with(json.dumps(case["extra_rules"], sort_keys=True), folder)


def _doses(plan: Plan, ex_id: str):
    chosen = next(c for c in plan.exercises if c.id == ex_id)
    return chosen.weekly_doses


def _dose_fields(dose) -> dict:
    return {"sets": dose.sets, "reps": dose.reps, "hold_seconds": dose.hold_seconds}


def check(plan: Plan, expect: dict, fired: set[str], triaged) -> None:
    """Assert everything `expect` says (each key is described in docs/cases.md)."""
    ids = {c.id for c in plan.exercises}
    tags = {e.id: set(e.tags) for e in shipped_catalogue().exercises.values()}
    cautions = [c.id for c in plan.cautions]
    if "status" in expect:
        assert plan.status == expect["status"]
    assert triaged.status == plan.status, "triage() and make_plan disagree"
    if "time_frame" in expect:
        assert triaged.time_frame == expect["time_frame"]
    assert set(expect.get("fired", ())) <= fired, f"did not fire: {set(expect['fired']) - fired}"
    assert not set(expect.get("not_fired", ())) & fired
    if "referral_reasons" in expect:
        assert [rid for rid, _ in plan.referral_reasons] == expect["referral_reasons"]
        assert [rid for rid, _ in triaged.referral_reasons] == expect["referral_reasons"]
    assert set(expect.get("exercises", ())) <= ids, f"missing: {set(expect['exercises']) - ids}"
    assert not set(expect.get("no_exercises", ())) & ids
    first = {c.id: c.first_week for c in plan.exercises}
    last = {c.id: c.last_week for c in plan.exercises}
    priority = {c.id: c.priority for c in plan.exercises}
    assert {k: priority.get(k) for k in expect.get("priority", {})} == expect.get("priority", {})
    assert {k: first.get(k) for k in expect.get("first_week", {})} == expect.get("first_week", {})
    assert {k: last.get(k) for k in expect.get("last_week", {})} == expect.get("last_week", {})
    if "absent_in_weeks" in expect:
        rule = expect["absent_in_weeks"]
        for week in plan.weeks:
            if week.number in rule["weeks"]:
                for item in (i for s in week.sessions for i in s.items):
                    assert item.id not in rule.get("exercises", ()), f"{item.id} in week {week.number}"
                    assert not tags[item.id] & set(rule.get("tags", ())), f"{item.id} in week {week.number}"
    for ex_id, want in expect.get("first_dose", {}).items():
        assert {k: _dose_fields(_doses(plan, ex_id)[0])[k] for k in want} == want, ex_id
    for ex_id, want in expect.get("last_dose", {}).items():
        assert {k: _dose_fields(_doses(plan, ex_id)[-1])[k] for k in want} == want, ex_id
    for ex_id, cap in expect.get("dose_at_most", {}).items():
        doses = [_dose_fields(i.dose) for w in plan.weeks for s in w.sessions for i in s.items if i.id == ex_id]
        assert doses, f"{ex_id} is never in a session"
        for dose in doses:
            assert all(dose[k] <= v for k, v in cap.items()), f"{ex_id}: {dose} above {cap}"
    if "dosing" in expect:
        assert {k: plan.dosing.get(k) for k in expect["dosing"]} == expect["dosing"]
    if "phase_weeks" in expect:
        assert {p.id: p.starts_week for p in plan.phases} == expect["phase_weeks"]
    assert set(expect.get("cautions", ())) <= set(cautions), f"missing cautions: {cautions}"
    assert cautions[:len(expect.get("cautions_first", ()))] == expect.get("cautions_first", [])
    assert not set(expect.get("no_cautions", ())) & set(cautions)
    if "caution_order" in expect:
        assert [c for c in cautions if c in expect["caution_order"]] == expect["caution_order"], cautions
    advice = {a.id for a in plan.advice}
    assert set(expect.get("advice", ())) <= advice
    assert not set(expect.get("no_advice", ())) & advice
    if "most_per_session" in expect:
        assert max(len(s.items) for w in plan.weeks for s in w.sessions) <= expect["most_per_session"]
    loaded = {i.id for w in plan.weeks for s in w.sessions for i in s.items if i.dose.load}
    assert set(expect.get("loaded", ())) <= loaded
    for ex_id, week in expect.get("loaded_from", {}).items():
        weeks = [w.number for w in plan.weeks for s in w.sessions for i in s.items if i.id == ex_id and i.dose.load]
        assert min(weeks, default=None) == week, f"{ex_id} first carries a weight in week {min(weeks, default=None)}"
    dose_rules = {c.id: list(c.dose_rules) for c in plan.exercises}
    assert {k: dose_rules.get(k) for k in expect.get("dose_rules", {})} == expect.get("dose_rules", {})
    for words in expect.get("notes_say", ()):
        assert any(words in note for note in plan.notes), f"no note says {words!r}: {plan.notes}"


def always_true(plan: Plan) -> None:
    """What every plan and every referral keeps, whatever the case says."""
    cautions = {c.id for c in plan.cautions}
    if plan.status == "plan":
        assert {"consult_first", "stop_if_worse", "urgent_signs"} <= cautions
    else:
        assert plan.weeks == () and plan.exercises == ()
        assert plan.referral_reasons
        assert cautions <= set(shipped_rulebook().settings["referral_cautions"])
        assert "urgent_signs" in cautions


@pytest.mark.parametrize("path", case_paths(), ids=lambda p: p.stem)
def test_case(path, tmp_path_factory):
    case = read_case(path)
    problems = sorted(validator(CASE_SCHEMA).iter_errors(case), key=str)
    assert not problems, f"{path.name}: {problems[0].message}"
    assert set(case.get("policy", ())) <= set(POLICIES), f"{path.name}: unknown policy"
    answers = check_answers(case_answers(case), path.name)
    book = rulebook_for(case, tmp_path_factory.getbasetemp())
    plan = make_plan(answers, TODAY, rulebook=book)
    fired = set(engine_for(book).fired_rules(answers))
    check(plan, case["expect"], fired, triage(answers, rulebook=book))
    always_true(plan)


# --- every warning sign, rule and conflict policy has a case --------------------------------

def _all_cases() -> list[dict]:
    return [read_case(p) for p in case_paths()]


def test_every_warning_sign_alone_gives_a_referral_case():
    alone = set()
    for case in _all_cases():
        flags = {k.split(".", 1)[1] for k, v in case.get("change", {}).items() if k.startswith("red_flags.") and v}
        if len(flags) == 1 and case["expect"].get("status") in ("urgent_care", "see_professional"):
            alone |= flags
    assert alone == set(RED_FLAGS)


def test_every_shipped_rule_fires_in_a_case():
    fired = {rid for case in _all_cases() if not case.get("extra_rules") for rid in case["expect"].get("fired", ())}
    assert set(shipped_rulebook().rules) - fired == set()


def test_every_conflict_policy_has_a_case():
    shown = {p for case in _all_cases() for p in case.get("policy", ())}
    assert set(POLICIES) - shown == set()


def test_policies_are_the_ones_documented():
    text = (REPO / "docs" / "cases.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in text for name in POLICIES)
