"""The next block of a plan after a check-in: week numbers and doses continue from where the person is.

Order of checks, most serious first:
1. The check-in's warning signs go through the plan's own triage rules (`make_plan` on the first answers with
   the new warning-sign answers). Any referral replaces the next block: no exercises.
2. The check-in rules (`planner.checkin.decide_checkin`) choose the block: step back a week's doses (and
   rise every second week), repeat the same doses held, or progress as planned; hurting exercises are
   swapped for a gentler one of the same kind or left out; too-easy ones move on one step, too-hard ones
   go back one.
3. The weeks are laid out by the same code as a first plan (`planner.sessions.lay_out`), numbered on from
   the last week done. A block with no strength exercise left becomes a referral, as a first plan would.

Every change to a dose stays inside the catalogue's range and never rises more than one weekly step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner import triage
from planner.answers import check_answers
from planner.build import how_often_by_exercise, make_plan, shipped_rulebook
from planner.catalogue import Catalogue, Exercise, shipped_catalogue
from planner.checkin import CheckIn, Decision, block_weeks, decide_checkin
from planner.model import Chosen, Plan, Week, WeekDose
from planner.progression import TRIMMING, Level, ceilings, next_level, trimmed, work, work_cap
from planner.rules import Rulebook
from planner.sessions import ORDER, Entry, dose_of, keep_level, lay_out

SWAPPED = "checkin_swapped"
REMOVED = "checkin_removed"
THIN = "checkin_too_thin"
NEW_SIGN = "checkin_new_warning_sign"
NEW_SIGN_SOON = "checkin_new_warning_sign_check"
TEXTS = {
    SWAPPED: "{old} hurt, so {new} takes its place. It works the same way but is gentler.",
    REMOVED: "{old} hurt, and there is no gentler exercise of the same kind for you, so it is left out.",
    THIN: "Too few exercises are left that are safe for you to do alone. Please see a physio or doctor within "
          "a week or two to check your plan.",
    NEW_SIGN: "You gave a new warning sign at this check-in, so this is not a plan. Please follow the steps on "
              "this page.",
    NEW_SIGN_SOON: "You gave a warning sign that is new since your plan was made: {signs}. Please have a physio or "
                   "doctor check it within a week or two before you go on.",
    "too_easy": "{old} was too easy, so it moves on one step.",
    "too_easy_held": "{old} was too easy, but it stays at its level while the rest of your plan goes back.",
    "too_hard": "{old} was too hard, so it goes back one step.",
}


def _level(row: dict) -> Level:
    return Level(sets=row["sets"], reps=row["reps"], hold_seconds=row["hold_seconds"], minutes=row["minutes"])


def _levels_by_week(ex: dict) -> dict[int, Level]:
    return {w["week"]: _level(w) for w in ex["weekly_doses"]}


def _current(ex: dict, after: int) -> tuple[Level, Level | None] | None:
    """The level in the last week done, and the one before it (None when it had not started by then)."""
    weeks = sorted((w, lv) for w, lv in _levels_by_week(ex).items() if w <= after)
    if not weeks:
        return None
    before = next((lv for _, lv in reversed(weeks[:-1]) if lv != weeks[-1][1]), None)
    return weeks[-1][1], before


def _within(ex: Exercise, level: Level) -> Level:
    """A plan's level inside the catalogue's ranges as they are now. A clinic may narrow a range after the plan
    was made (the check-in then warns that the catalogue changed): the next block never goes above its new top,
    nor below its new bottom."""
    values = {}
    for name in TRIMMING:
        a, value = ex.dose.amount(name), getattr(level, name)
        values[name] = value if a is None or value is None else min(max(value, a.low), a.high)
    return Level(**values)


def step_back(ex: Exercise, level: Level, before: Level | None) -> Level:
    """One week's doses back: last week's level before this one, else one step less; never below the range."""
    if before is not None and work(before, 1) <= work(level, 1):
        return before
    return trimmed(ex, level) or level


def _gentler(hurting: Exercise, plan: dict, answers: dict, catalogue: Catalogue, taken: set[str]) -> Exercise | None:
    """A gentler exercise of the same kind the person may do: same category, tagged gentle, with the equipment
    they have, on the floor only if they can get down, not ruled out by the plan's rules, not in the plan."""
    ruled_out = {r["id"] for r in plan["ruled_out"]}
    gear = set(answers["equipment"])
    aims = set(hurting.tags) - {"gentle", "warm_up", "lying", "seated", "standing"}
    best = None
    for ex in catalogue.exercises.values():
        if (ex.category != hurting.category or "gentle" not in ex.tags or ex.id in taken or ex.id in ruled_out
                or not set(ex.equipment) <= gear or (ex.needs_floor and not answers["floor_ok"])):
            continue
        key = (-len(aims & set(ex.tags)), ex.id)
        if best is None or key < best[0]:
            best = (key, ex)
    return None if best is None else best[1]


def _start_levels(plan: dict, checkin: CheckIn, d: Decision, catalogue: Catalogue, answers: dict, after: int,
                  changes: list[tuple[str, str]], settings: dict) -> dict[str, tuple[Exercise, Level, int, int, bool]]:
    """Exercise id -> (exercise, first level, first block week, priority, held) for the next block."""
    out = {}
    ratio, per_rep = settings["progression"]["max_weekly_work_ratio"], settings["timing"]["seconds_per_rep"]
    share, ceiling = settings["progression"]["below_top_work_share"], plan["settings"]["dosing"].get("ceiling", "top")

    def up(ex: Exercise, level: Level) -> Level:  # one weekly step, as the first plan would have taken it
        return next_level(ex, level, ceilings(ex), ratio, per_rep, work_cap(ex, ceiling, share, per_rep)) or level

    taken = {ex["id"] for ex in plan["exercises"]}
    for row in plan["exercises"]:
        ex = catalogue.exercises[row["id"]]
        now = _current(row, after)
        if now is None:  # not started yet: it joins as planned, unless the block steps back or repeats
            if d.doses != "progress":
                continue
            week = min(_levels_by_week(row))
            out[ex.id] = (ex, _within(ex, _levels_by_week(row)[week]), week - after, row["priority"], False)
            continue
        current, before = _within(ex, now[0]), (None if now[1] is None else _within(ex, now[1]))
        level = current
        held = d.doses == "repeat"
        if d.doses == "step_back":
            level = step_back(ex, level, before)
        elif d.doses == "progress":
            level = up(ex, level)
        if ex.id in checkin.hurt and d.swap_hurting:
            new = _gentler(ex, plan, answers, catalogue, taken)
            if new is None:
                changes.append((REMOVED, TEXTS[REMOVED].format(old=ex.name)))
                continue
            taken.add(new.id)
            changes.append((SWAPPED, TEXTS[SWAPPED].format(old=ex.name, new=new.name)))
            bottom = Level(**{n: (a.low if (a := new.dose.amount(n)) else None)
                              for n in TRIMMING})
            out[new.id] = (new, bottom, 1, row["priority"], held)
            continue
        if ex.id in checkin.too_hard and d.step_back_hard and d.doses != "step_back":
            level = trimmed(ex, current) or current
            changes.append(("too_hard", TEXTS["too_hard"].format(old=ex.name)))
        elif ex.id in checkin.too_easy and d.step_on_easy:
            if d.doses == "step_back":
                level = current
                changes.append(("too_easy_held", TEXTS["too_easy_held"].format(old=ex.name)))
            else:
                if d.doses == "repeat":
                    level = up(ex, current)
                changes.append(("too_easy", TEXTS["too_easy"].format(old=ex.name)))
        out[ex.id] = (ex, level, 1, row["priority"], held)
    return out


def _chosen(entries: dict[str, Entry], weeks: tuple[Week, ...], offset: int, ratio: float, per_rep: int,
            old: dict[str, dict], rulebook: Rulebook) -> dict[str, Chosen]:
    out = {}
    how_often_of = how_often_by_exercise(weeks)
    for ex_id, e in entries.items():
        if not e.done:
            continue
        ex = e.ex
        text, count = how_often_of[ex_id]
        prior = old.get(ex_id, {})
        out[ex_id] = Chosen(
            id=ex_id, name=ex.name, category=ex.category, first_week=min(e.done) + offset, priority=e.priority,
            last_week=max(e.done) + offset, rules=tuple(prior.get("rules", ())),
            weekly_doses=tuple(WeekDose(w + offset, dose_of(ex, lv), keep_level(e, w, ratio, per_rep))
                               for w, lv in sorted(e.done.items())),
            dose_rules=tuple(prior.get("dose_rules", ())), progression=prior.get("progression"), aim=ex.aim,
            steps=ex.steps, cautions=ex.cautions, figure=ex.figure,
            how_often=text, sessions=count,
            reasons=tuple(rulebook.rules[r].because for r in prior.get("rules", ()) if r in rulebook.rules))
    return out


def _referral(base: Plan, reason: tuple[str, str], answers: dict, followup: dict, told: tuple[str, ...],
              today: dt.date, rulebook: Rulebook) -> Plan:
    """A referral within a week or two in place of the next block: no exercises, the referral cautions only,
    what to tell the clinician (`told`: the check-in's answers as now, the first ones as at the start), written
    today."""
    allowed = set(rulebook.settings["referral_cautions"])
    return dataclasses.replace(
        base, status="see_professional", weeks=(), exercises=(), phases=(), advice=(), notes=(), dosing={},
        referral_reasons=(reason,), reasons=(reason,), answers=answers, focus=(), ruled_out=(), left_out=(),
        cautions=tuple(c for c in base.cautions if c.id in allowed),
        triage=dataclasses.replace(base.triage, time_frame="soon", tell_them=told, written_on=today),
        followup=followup)


def history_point(checkin: CheckIn, block: int, after: int) -> dict:
    data = checkin.data
    return {"label": f"Check-in {block}", "week": after, "pain": data["pain"]["now"],
            "activities": [dict(a) for a in data.get("activities", [])],
            "sessions_per_week": list(data["sessions_per_week"])}


def next_block(plan: dict, checkin: CheckIn, weeks: int, today: dt.date, rulebook: Rulebook | None = None,
               catalogue: Catalogue | None = None, checkin_rules: Rulebook | None = None) -> Plan:
    """The next `weeks` weeks after a check-in, or a referral when a warning sign is new or too little is left."""
    rulebook = rulebook or shipped_rulebook()
    catalogue = catalogue or shipped_catalogue()
    first, last = block_weeks(plan)
    after = checkin.data.get("after_week", last)
    block = plan["checkin"]["block"] + 1
    history = [*plan["checkin"]["history"], history_point(checkin, block, after)]
    answers = first_answers = check_answers(plan["answers"], "the plan's answers")
    new_flags = sorted(k for k, v in checkin.data["red_flags"].items() if v and not answers["red_flags"].get(k))
    # Triage reads the warning signs and pain as they are now (the referral page also tells the clinician).
    answers = {**answers, "red_flags": dict(checkin.data["red_flags"]), "plan": dict(answers["plan"]),
               "pain": {**answers["pain"], "level": checkin.data["pain"]["now"]}}
    if new_flags:  # a clearance given before a new warning sign does not cover it
        answers["cleared_by_professional"] = False
    first_day = dt.date.fromisoformat(plan["settings"]["start_date"]) + dt.timedelta(days=7 * (after - first + 1))
    answers["plan"]["start_date"] = first_day.isoformat()
    base = make_plan(answers, today, rulebook, catalogue)
    # The clinician hears the check-in's pain as now and the first answers as they were at the start: the
    # weeks and the rest of a plan have passed since, so they are labelled, never stated as current.
    told = triage.tell_them_at_checkin(first_answers, checkin.data["pain"])
    followup = {"block": block, "first_week": after + 1, "history": history, "changes": []}
    if new_flags and base.status == "plan":
        # A sign the first questionnaire lets pass (a minor fall under 70) is still a change during the
        # programme: the more cautious choice is a check within a week or two before going on.
        titles = "; ".join(triage.question_titles(new_flags)).lower()
        reason = (NEW_SIGN_SOON, TEXTS[NEW_SIGN_SOON].format(signs=titles))
        followup["changes"] = [{"rule": reason[0], "text": reason[1]}]
        return _referral(base, reason, plan["answers"], followup, told, today, rulebook)
    if base.status != "plan":
        reasons = ((NEW_SIGN, TEXTS[NEW_SIGN]),) if new_flags else ()
        followup["changes"] = [{"rule": r, "text": t} for r, t in reasons + base.referral_reasons]
        return dataclasses.replace(base, answers=plan["answers"], followup=followup,
                                   triage=dataclasses.replace(base.triage, tell_them=told))

    d = decide_checkin(checkin, plan, checkin_rules)
    changes: list[tuple[str, str]] = list(d.reasons)
    settings = dict(rulebook.settings)
    starts = _start_levels(plan, checkin, d, catalogue, answers, after, changes, settings)
    if d.simpler_routine:
        settings["max_exercises_per_session"] = min(settings["max_exercises_per_session"], d.simpler_routine)
    ratio, per_rep = settings["progression"]["max_weekly_work_ratio"], settings["timing"]["seconds_per_rep"]
    ceiling = plan["settings"]["dosing"].get("ceiling", "top")
    entries = {}
    for ex_id, (ex, level, week, priority, held) in sorted(starts.items()):
        tops = {n: getattr(level, n) for n in ceilings(ex)} if held else ceilings(ex)
        cap = work_cap(ex, ceiling, settings["progression"]["below_top_work_share"], per_rep)
        entries[ex_id] = Entry(ex, max(1, week), weeks, priority, level, tops, cap)
    phase_ids = [p["id"] for p in sorted(plan["phases"], key=lambda p: p["starts_week"])]
    phase_of_week = [[p["id"] for p in plan["phases"] if p["starts_week"] <= after + n][-1] if phase_ids else ""
                     for n in range(1, weeks + 1)]
    pace = "slow" if d.doses == "step_back" else plan["settings"]["dosing"].get("pace", "normal")
    layout = lay_out(entries, settings, first_day, weeks, answers["plan"], phase_of_week, pace)
    rises = d.doses == "progress" or any(t == "too_easy" for t, _ in changes)
    renumbered = tuple(dataclasses.replace(w, number=w.number + after, self_check=w.self_check or (i == 0 and rises))
                       for i, w in enumerate(layout.weeks))
    chosen = _chosen(layout.entries, renumbered, after, ratio, per_rep, {e["id"]: e for e in plan["exercises"]},
                     rulebook)
    followup["changes"] = [{"rule": r, "text": t} for r, t in changes]
    if not any(c.category == "strength" for c in chosen.values()):
        followup["changes"].append({"rule": THIN, "text": TEXTS[THIN]})
        return _referral(base, (THIN, TEXTS[THIN]), plan["answers"], followup, told, today, rulebook)
    return dataclasses.replace(
        base, weeks=renumbered, weeks_count=weeks,
        exercises=tuple(sorted(chosen.values(), key=lambda c: (c.first_week, ORDER[c.category], c.id))),
        notes=tuple(d.tips), answers=plan["answers"], followup=followup, focus=tuple(t for _, t in changes),
        dosing={**plan["settings"]["dosing"], "pace": pace},
        left_out=tuple(sorted((k, f"did not fit in the sessions in {n} week(s)") for k, n in layout.left_out.items())))

