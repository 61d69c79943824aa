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
from planner.answers import answers_schema, check_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.decide import POLICIES as DECIDE_POLICIES
from planner.engine import engine_for
from planner.model import Plan
from planner.rules import Rulebook, load_rulebook
from planner.triage import triage
from planner.validation import validator

CASES = REPO / "tests" / "cases"
TRIAGE_ROWS = json.loads((REPO / "docs" / "triage.json").read_text(encoding="utf-8"))["rows"]
CASE_SCHEMA = json.loads((REPO / "tests" / "case.schema.json").read_text(encoding="utf-8"))
# The conflict policies, finer than planner.decide.POLICIES (keyed by action): each names the action whose
# policy it shows. When rules disagree, these settle it, never the firing order.
POLICIES = {
    "most_serious_status": ("status", "urgent care beats see a professional; the most serious rules are the reasons"),
    "exclusion_beats_inclusion": ("exclude", "an exercise one rule includes and another excludes stays out"),
    "latest_exclusion": ("exclude", "of several exclusions the latest week wins; one for the whole plan beats any"),
    "earliest_phase": ("include", "an exercise included from several phases starts in the earliest"),
    "highest_priority": ("include", "an exercise included at several priorities keeps the lowest number"),
    "longest_stay": ("include", "an exercise included until several phases stays until the latest (or to the end)"),
    "cautious_start": ("set_dosing", "a start at the bottom of the range beats the base or a step up"),
    "slow_pace": ("set_dosing", "a slow pace beats a normal one"),
    "cautious_ceiling": ("set_dosing", "a ceiling below the top beats the top"),
    "lowest_set_dose": ("set_dose", "of several set_dose values, the lowest starting dose wins"),
    "dose_inside_range": ("set_dose", "a set_dose value is kept inside the catalogue's range"),
    "progression_checkpoint": ("enable_progression", "an exercise a rule enables progression for prints a checkpoint"),
    "caution_rank": ("add_caution", "a caution added at several ranks prints at the lowest; cautions print by rank"),
    "advice_once": ("add_advice", "advice asked for by several rules prints once"),
    "most_urgent_time_frame": ("referral", "of several referrals, the most urgent time frame wins"),
    "clearances_listed": ("relies_on_clearance", "every clearance a plan relies on is listed once, sorted"),
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
    """A weekly dose (WeekDose, whose .dose is the Dose) or a session's Dose, as the amounts a case names."""
    dose = getattr(dose, "dose", dose)
    return {"sets": dose.sets, "reps": dose.reps, "hold_seconds": dose.hold_seconds, "minutes": dose.minutes}


def check(plan: Plan, expect: dict, fired: set[str], triaged) -> None:
    """Assert everything `expect` says (each key is described in docs/cases.md)."""
    ids = {c.id for c in plan.exercises}
    tags = {e.id: set(e.tags) for e in shipped_catalogue().exercises.values()}
    cautions = [c.id for c in plan.cautions]
    if "status" in expect:
        assert plan.status == expect["status"]
    assert triaged.status == plan.status, "triage() and make_plan disagree"
    assert triaged.triage.time_frame == plan.triage.time_frame, "triage() and make_plan disagree on how soon"
    if "time_frame" in expect:
        assert plan.triage.time_frame == expect["time_frame"]
    if "clearable" in expect:
        assert plan.triage.clearable == expect["clearable"]
    if "cleared_for" in expect:
        assert list(plan.triage.cleared_for) == expect["cleared_for"]
    assert set(expect.get("fired", ())) <= fired, f"did not fire: {set(expect['fired']) - fired}"
    assert not set(expect.get("not_fired", ())) & fired
    if "referral_reasons" in expect:
        assert [rid for rid, _ in plan.referral_reasons] == expect["referral_reasons"]
        assert [rid for rid, _ in triaged.referral_reasons] == expect["referral_reasons"]
    assert set(expect.get("exercises", ())) <= ids, f"missing: {set(expect['exercises']) - ids}"
    assert not set(expect.get("no_exercises", ())) & ids
    # Included by the rules: in the plan, or left out only because the sessions were full.
    included = (ids | {x for x, _ in plan.left_out}) - {r.id for r in plan.ruled_out}
    assert set(expect.get("included", ())) <= included, f"not included: {set(expect['included']) - included}"
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
        # The graded walk (a dose in minutes) is outside the cap (docs/clinical.md, "Whole sessions").
        counted = [[i for i in s.items if i.dose.minutes is None] for w in plan.weeks for s in w.sessions]
        assert max(map(len, counted)) <= expect["most_per_session"]
    checkpoint = {c.id for c in plan.exercises if c.progression}
    assert set(expect.get("checkpoint", ())) <= checkpoint, f"no checkpoint: {checkpoint}"
    assert not set(expect.get("no_checkpoint", ())) & checkpoint
    dose_rules = {c.id: list(c.dose_rules) for c in plan.exercises}
    assert {k: dose_rules.get(k) for k in expect.get("dose_rules", {})} == expect.get("dose_rules", {})
    for words in expect.get("notes_say", ()):
        assert any(words in note for note in plan.notes), f"no note says {words!r}: {plan.notes}"


def always_true(plan: Plan) -> None:
    """What every plan and every referral keeps, whatever the case says."""
    cautions = {c.id for c in plan.cautions}
    assert len(cautions) == len(plan.cautions) and len({a.id for a in plan.advice}) == len(plan.advice), "printed twice"
    if plan.status == "plan":
        # The one pain rule replaced the stop_if_worse caution (docs/clinical.md): it says when to stop and get help.
        assert {"consult_first", "urgent_signs"} <= cautions
        assert plan.pain_rule is not None and any(p.startswith("Stop and get help") for p in plan.pain_rule.points)
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
