"""What a plan JSON carries for the next check-in: which block it is, the ratings so far, what changed, and
where each exercise stands.

A first plan is block 0: its history holds one point, the start (the answers' pain level and activities).
A plan written by `plan-gen checkin` carries its own `Plan.followup` with every point since.
"""

from __future__ import annotations

from planner.model import Plan


def start_point(answers: dict | None) -> dict:
    """The first point of a person's history: pain and activity ratings from the first questionnaire."""
    answers = answers or {}
    return {"label": "Start", "week": 0, "pain": answers.get("pain", {}).get("level"),
            "activities": [dict(a) for a in answers.get("activities", [])], "sessions_per_week": []}


def exercise_state(plan: Plan) -> dict:
    """Each exercise's level in the last week it is scheduled in this block, and its priority."""
    out = {}
    for c in plan.exercises:
        last = c.weekly_doses[-1]
        out[c.id] = {"week": last.week, "sets": last.dose.sets, "reps": last.dose.reps,
                     "hold_seconds": last.dose.hold_seconds, "minutes": last.dose.minutes,
                     "priority": c.priority, "keep_level": last.keep}
    return out


def followup_json(plan: Plan) -> dict:
    base = plan.followup or {"block": 0, "first_week": 1, "history": [start_point(plan.answers)], "changes": []}
    return {**base, "state": exercise_state(plan)}
