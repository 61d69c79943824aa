"""Why a plan is as it is: the rules that fired and what each one did."""

from __future__ import annotations

import datetime as dt

from planner.answers import Answers
from planner.build import make_plan
from planner.data_source import DataSource
from planner.progression import Level, work


def explain(answers: Answers, today: dt.date, data: DataSource | None = None) -> str:
    rulebook, catalogue = (data or DataSource()).pair()
    plan = make_plan(answers, today, rulebook, catalogue)
    lines = [f"Status: {plan.status}", *_triage_lines(plan), "", "Rules that fired:"]
    lines += [f"  {rid}: {because}" for rid, because in plan.reasons]
    if plan.status != "plan":
        lines += ["", "No exercises: the plan is a referral because of:"]
        lines += [f"  {rid}" for rid, _ in plan.referral_reasons]
        return "\n".join(lines) + "\n"
    lines += ["", "Exercises in the plan (first week, priority, chosen by; dose set by):"]
    for c in plan.exercises:
        first, last = c.weekly_doses[0].dose, c.weekly_doses[-1].dose
        dose_by = ", ".join(c.dose_rules) or "catalogue base dose"
        lines.append(f"  {c.id}: from week {c.first_week}, priority {c.priority}; chosen by {', '.join(c.rules)}; "
                     f"dose {_course(first, last, rulebook.settings['timing']['seconds_per_rep'])} ({dose_by})")
    lines += ["", "Ruled out or held back:"]
    for r in plan.ruled_out:
        when = "for the whole plan" if r.until_week is None else f"until week {r.until_week}"
        lines.append(f"  {r.id}: {when}, by {', '.join(r.rules)}")
    if plan.left_out:
        lines += ["", "Chosen by the rules but left out of some sessions or the whole plan "
                      "(time, the session cap or the plan's cap):"]
        lines += [f"  {ex_id}: {why}" for ex_id, why in plan.left_out]
    lines += ["", f"Dosing: start {plan.dosing['start']}, pace {plan.dosing['pace']}, ceiling {plan.dosing['ceiling']}"]
    chosen = {c.id for c in plan.exercises} | {r.id for r in plan.ruled_out} | {i for i, _ in plan.left_out}
    unused = [e for e in catalogue.exercises if e not in chosen]
    if unused:
        lines += ["", "Not chosen by any rule:", "  " + ", ".join(unused)]
    lines += ["", f"Rules {rulebook.name} {rulebook.version} ({rulebook.digest}), "
              f"catalogue {catalogue.name} {catalogue.version} ({catalogue.digest})"]
    return "\n".join(lines) + "\n"


def _course(first, last, seconds_per_rep: int) -> str:
    """The first and last week's dose: "rising to" only where its work rose, as the weekly rise counts it
    (`progression.work`; a walk held back by the time asked for stays put, and "5 minutes rising to 5
    minutes" told a clinician it grew)."""
    if first == last:
        return f"{_dose(first)}, the same every week"
    rose = work(_level(last), seconds_per_rep) > work(_level(first), seconds_per_rep)
    return f"{_dose(first)} {'rising' if rose else 'changing'} to {_dose(last)}"


def _level(d) -> Level:
    return Level(d.sets, d.reps, d.hold_seconds, d.minutes)


def _dose(d) -> str:
    parts = [f"{d.sets} x"]
    if d.reps:
        parts.append(f"{d.reps}")
    if d.hold_seconds:
        parts.append(f"hold {d.hold_seconds} s")
    if d.per_side:
        parts.append("each side")
    if d.minutes:
        parts = [f"{d.minutes} minutes"]
    return " ".join(parts)


def _triage_lines(plan) -> list[str]:
    """The triage facts (docs/triage.md): time frame, clearances relied on, STarT Back group, unasked questions."""
    t = plan.triage
    out = [f"Time frame: {t.time_frame}"] if t.time_frame else []
    if t.cleared_for:
        out.append("Relies on a professional's clearance for: " + ", ".join(t.cleared_for))
    if t.start_back_group:
        out.append(f"STarT Back group: {t.start_back_group}")
    if t.not_asked:
        out.append("Never asked (version 1 answers): " + "; ".join(t.not_asked))
    return out
