"""Case files run against a rules folder (`plan-gen rules test`): what must hold, said back in plain words.

The format is docs/cases.md (schema: planner/schemas/case.schema.json). The
shipped rules carry their cases (rules/cases, exported with the rules), so a
clinic that edits a rule runs them at once; the project's own tests run the
same cases through this module, so there is one runner. A case's `base` names
an answers file: it is looked for in an `answers/` folder beside the case
files, then in the shipped cases' `answers/`. `extra_rules` go in a copy of the
rules folder, checked by the same loader.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from planner import resources
from planner.answers import check_answers
from planner.build import make_plan
from planner.collector import settle
from planner.data_source import DataSource
from planner.engine import engine_for
from planner.errors import PlanGenError
from planner.jsonio import read_json_file
from planner.model import Plan
from planner.rules import load_rulebook
from planner.triage import triage
from planner.validation import schema_problems


@dataclass(frozen=True)
class CaseResult:
    source: str
    about: str
    failures: tuple[str, ...]


CASES = "cases"  # the cases' folder inside a rules folder
# The conflict policies a case may name (finer than planner.decide.POLICIES, keyed by action): each names the
# action whose policy it shows. When rules disagree, these settle it, never the firing order.
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


def shipped_cases() -> Path:
    """The shipped rules' cases folder (a real folder: the rules are installed as plain files)."""
    return Path(str(resources.data_root(resources.RULES) / CASES))


def cases_folder(rules_dir: str | None) -> Path:
    """The cases of the rules in use: DIR/cases for a clinic's folder, else the shipped ones."""
    folder = Path(rules_dir) / CASES if rules_dir else shipped_cases()
    if not folder.is_dir():
        raise PlanGenError(f"{folder}: no cases folder beside these rules; name case files, or export the "
                           "shipped rules (plan-gen rules export DIR) to get their cases")
    return folder


def case_files(paths: list[str]) -> list[Path]:
    """The case files named, and every *.json in the folders named, sorted."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(path.glob("*.json"))
        elif path.is_file():
            out.append(path)
        else:
            raise PlanGenError(f"{raw}: no such case file or folder")
    return out


def _base(path: Path, name: str) -> Path:
    for folder in (path.parent / "answers", shipped_cases() / "answers"):
        if (folder / f"{name}.json").is_file():
            return folder / f"{name}.json"
    raise PlanGenError(f"{path}: at base: no answers file {name}.json in {path.parent / 'answers'} or "
                       "in the shipped cases' answers")


def case_answers(path: Path, case: dict):
    data = read_json_file(_base(path, case.get("base", "minimal")))
    for dotted, value in case.get("change", {}).items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = copy.deepcopy(value)
    return check_answers(data, str(path))


def run_case(path: Path, data: DataSource, today: dt.date) -> CaseResult:
    """Run one case; every way it fails is a sentence. A broken case file raises (a user error)."""
    case = read_json_file(path)
    problems = schema_problems(case, resources.schema("case"), str(path))
    if problems:
        raise PlanGenError("\n".join(str(p) for p in problems))
    unknown = set(case.get("policy", ())) - set(POLICIES)
    if unknown:
        raise PlanGenError(f"{path}: at policy: unknown {_named(unknown)}; allowed: {_named(POLICIES)}")
    answers = case_answers(path, case)
    rulebook, catalogue = data.pair()
    if case.get("extra_rules"):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "rules"
            if data.rules:
                shutil.copytree(data.rules, folder)
            else:
                folder.mkdir()
                for item in resources.data_root(resources.RULES).iterdir():
                    if item.name.endswith(".json"):
                        (folder / item.name).write_bytes(item.read_bytes())
            (folder / "90_case.json").write_text(json.dumps({"rules": case["extra_rules"]}), encoding="utf-8")
            rulebook = load_rulebook(catalogue, folder)
    plan = make_plan(answers, today, rulebook, catalogue)
    fired = set(engine_for(rulebook).fired_rules(answers))
    failures = check(plan, case["expect"], fired, triage(answers, rulebook, catalogue, today), catalogue)
    failures += always(plan, rulebook)
    settle()  # after the first case everything `rules test` uses is loaded (planner/collector.py)
    return CaseResult(str(path), case["about"], tuple(failures))


def _named(items) -> str:
    return ", ".join(sorted(str(i) for i in items)) or "none"


def check(plan: Plan, expect: dict, fired: set[str], triaged, catalogue) -> list[str]:
    """Every key of `expect` that does not hold, as a sentence (keys: docs/cases.md)."""
    out: list[str] = []
    ids = {c.id for c in plan.exercises}
    chosen = {c.id: c for c in plan.exercises}
    cautions = [c.id for c in plan.cautions]
    advice = {a.id for a in plan.advice}
    items = [(w.number, i) for w in plan.weeks for s in w.sessions for i in s.items]

    def need(ok: bool, message: str) -> None:
        if not ok:
            out.append(message)

    def all_of(key: str, have: set, words: str) -> None:
        missing = set(expect.get(key, ())) - have
        need(not missing, f"{words}: {_named(missing)}")

    def none_of(key: str, have: set, words: str) -> None:
        found = set(expect.get(key, ())) & have
        need(not found, f"{words}: {_named(found)}")

    need(expect.get("status", plan.status) == plan.status, f"the outcome is {plan.status}, not {expect.get('status')}")
    need(triaged.status == plan.status, f"triage gives {triaged.status} but the plan is {plan.status}")
    need(triaged.triage.time_frame == plan.triage.time_frame,
         f"triage says {triaged.triage.time_frame} but the plan says {plan.triage.time_frame} for how soon")
    if "time_frame" in expect:
        need(plan.triage.time_frame == expect["time_frame"],
             f"the time frame is {plan.triage.time_frame or 'none'}, not {expect['time_frame'] or 'none'}")
    if "clearable" in expect:
        need(plan.triage.clearable == expect["clearable"],
             f"a professional's clearance {'can' if plan.triage.clearable else 'cannot'} turn this into a plan")
    if "cleared_for" in expect:
        got = list(plan.triage.cleared_for)
        need(got == expect["cleared_for"], f"the plan relies on clearance for {_named(got)}, "
                                           f"not {_named(expect['cleared_for'])}")
    all_of("fired", fired, "these rules did not fire")
    none_of("not_fired", fired, "these rules fired")
    if "referral_reasons" in expect:
        got = [rid for rid, _ in plan.referral_reasons]
        want = expect["referral_reasons"]
        need(got == want, f"the referral names {', '.join(got) or 'no rule'}, not {', '.join(want) or 'no rule'}")
        quick = [rid for rid, _ in triaged.referral_reasons]
        need(quick == got, f"triage names {', '.join(quick)} but the plan names {', '.join(got)}")
    all_of("exercises", ids, "missing from the plan")
    none_of("no_exercises", ids, "in the plan but must not be")
    # Included by the rules: in the plan, or left out only because the sessions were full.
    included = (ids | {x for x, _ in plan.left_out}) - {r.id for r in plan.ruled_out}
    all_of("included", included, "the rules did not include")
    for key, attr, words in (("priority", "priority", "priority"), ("first_week", "first_week", "first week"),
                             ("last_week", "last_week", "last week")):
        for ex_id, want in expect.get(key, {}).items():
            got = getattr(chosen[ex_id], attr) if ex_id in chosen else None
            need(got == want, f"{ex_id}: {words} is {got}, not {want}")
    if "absent_in_weeks" in expect:
        rule = expect["absent_in_weeks"]
        tags = {e.id: set(e.tags) for e in catalogue.exercises.values()}
        for week, item in items:
            if week in rule["weeks"] and (item.id in rule.get("exercises", ())
                                          or tags.get(item.id, set()) & set(rule.get("tags", ()))):
                out.append(f"{item.id} is in week {week}, which must be without it")
    for key, index in (("first_dose", 0), ("last_dose", -1)):
        for ex_id, want in expect.get(key, {}).items():
            if ex_id not in chosen:
                out.append(f"{ex_id}: not in the plan, so it has no {key.replace('_', ' ')}")
                continue
            dose = chosen[ex_id].weekly_doses[index].dose
            got = {k: getattr(dose, k) for k in want}
            need(got == want, f"{ex_id}: {key.replace('_', ' ')} is {got}, not {want}")
    for ex_id, cap in expect.get("dose_at_most", {}).items():
        doses = [i.dose for _, i in items if i.id == ex_id]
        need(bool(doses), f"{ex_id} is never in a session")
        for dose in doses:
            need(all(getattr(dose, k) <= v for k, v in cap.items()), f"{ex_id}: a session gives more than {cap}")
    if "dosing" in expect:
        got = {k: plan.dosing.get(k) for k in expect["dosing"]}
        need(got == expect["dosing"], f"dosing is {got}, not {expect['dosing']}")
    if "phase_weeks" in expect:
        got = {p.id: p.starts_week for p in plan.phases}
        need(got == expect["phase_weeks"], f"the phases start in weeks {got}, not {expect['phase_weeks']}")
    all_of("cautions", set(cautions), "cautions missing")
    first = expect.get("cautions_first", [])
    need(cautions[:len(first)] == first, f"the cautions start {cautions[:len(first)]}, not {first}")
    none_of("no_cautions", set(cautions), "cautions that must not print")
    if "caution_order" in expect:
        got = [c for c in cautions if c in expect["caution_order"]]
        need(got == expect["caution_order"], f"the cautions print in the order {got}, not {expect['caution_order']}")
    all_of("advice", advice, "advice missing")
    none_of("no_advice", advice, "advice that must not print")
    if "most_per_session" in expect:
        # The graded walk (a dose in minutes) is outside the cap (docs/clinical.md, "Whole sessions").
        most = max((sum(i.dose.minutes is None for i in s.items) for w in plan.weeks for s in w.sessions),
                   default=0)
        need(most <= expect["most_per_session"], f"a session holds {most} exercises, over {expect['most_per_session']}")
    checkpoint = {c.id for c in plan.exercises if c.progression}
    all_of("checkpoint", checkpoint, "no progress checkpoint for")
    none_of("no_checkpoint", checkpoint, "a progress checkpoint that must not print for")
    for ex_id, want in expect.get("dose_rules", {}).items():
        got = list(chosen[ex_id].dose_rules) if ex_id in chosen else None
        need(got == want, f"{ex_id}: its dose is set by {got}, not {want}")
    for words in expect.get("notes_say", ()):
        need(any(words in note for note in plan.notes), f"no note says {words!r}")
    return out


def always(plan: Plan, rulebook) -> list[str]:
    """What every plan and every referral keeps, whatever a case says: the safety floor."""
    cautions = {c.id for c in plan.cautions}
    out = []
    if len(cautions) != len(plan.cautions) or len({a.id for a in plan.advice}) != len(plan.advice):
        out.append("a caution or a piece of advice prints twice")
    if plan.status == "plan":
        # The one pain rule replaced the stop_if_worse caution (docs/clinical.md): it says when to stop and get help.
        missing = {"consult_first", "urgent_signs"} - cautions
        if missing:
            out.append(f"the plan lacks the cautions every plan keeps: {_named(missing)}")
        if plan.pain_rule is None or not any(p.startswith("Stop and get help") for p in plan.pain_rule.points):
            out.append("the plan's pain rule does not say when to stop and get help")
        return out
    if plan.weeks or plan.exercises:
        out.append("a referral holds weeks or exercises")
    if not plan.referral_reasons:
        out.append("a referral names no reason")
    extra = cautions - set(rulebook.settings["referral_cautions"])
    if extra:
        out.append(f"a referral prints cautions beyond the referral ones: {_named(extra)}")
    if "urgent_signs" not in cautions:
        out.append("a referral lacks the warning-sign caution (urgent_signs)")
    return out
