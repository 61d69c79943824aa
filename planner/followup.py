"""What a plan JSON carries for the next check-in: which block it is, the ratings so far, what changed, and
where each exercise stands.

A first plan is block 0: its history holds one point, the start (the answers' pain level and activities).
A plan written by `plan-gen checkin` carries its own `Plan.followup` with every point since.
"""

from __future__ import annotations

from planner.model import Chosen, Plan


def start_point(answers: dict | None) -> dict:
    """The first point of a person's history: pain and activity ratings from the first questionnaire."""
    answers = answers or {}
    return {"label": "Start", "week": 0, "pain": answers.get("pain", {}).get("level"),
            "activities": [dict(a) for a in answers.get("activities", [])], "sessions_per_week": []}


STATE_KEYS = ("hold_seconds", "keep_level", "minutes", "priority", "reps", "sets", "week")  # sorted, as written


def state_row(c: Chosen) -> tuple:
    """An exercise's values for STATE_KEYS: its level in the last week it is scheduled in this block, and its
    priority (planner.render_json writes these straight into the plan's text)."""
    last = c.weekly_doses[-1]
    d = last.dose
    return d.hold_seconds, last.keep, d.minutes, c.priority, d.reps, d.sets, last.week


def exercise_state(plan: Plan) -> dict:
    """Each exercise's level in the last week it is scheduled in this block, and its priority, by id."""
    return {c.id: dict(zip(STATE_KEYS, state_row(c), strict=True)) for c in plan.exercises}


def followup_base(plan: Plan) -> dict:
    """The check-in block without its exercises' state: a first plan's, or the one a check-in wrote."""
    return plan.followup or {"block": 0, "first_week": 1, "history": [start_point(plan.answers)], "changes": []}


def followup_json(plan: Plan) -> dict:
    return {**followup_base(plan), "state": exercise_state(plan)}
