"""The plan as JSON: the format other programs read (documented by plan.schema.json)."""

from __future__ import annotations

from planner.followup import followup_json
from planner.jsonio import canonical_json
from planner.model import Dose, Plan, Text

PLAN_FORMAT = 1


def _dose(d: Dose) -> dict:
    return {"sets": d.sets, "reps": d.reps, "hold_seconds": d.hold_seconds, "per_side": d.per_side,
            "minutes": d.minutes}


def _text(t: Text | None) -> dict | None:
    return None if t is None else {"title": t.title, "points": list(t.points)}


def plan_to_dict(plan: Plan, printed: dict | None = None) -> dict:
    """`printed`: the PDF's paper and type size ({"page_size", "large_print"}), recorded for the next check-in."""
    # A week's sessions of one routine hold the same items (sessions.lay_out): their list is built once and
    # shared, and json_text writes a shared list once. Kept for this call only.
    items: dict[int, list[dict]] = {}

    def exercises(held: tuple) -> list[dict]:
        if id(held) not in items:
            items[id(held)] = [{"id": i.id, **_dose(i.dose)} for i in held]
        return items[id(held)]

    out = {
        "plan_format": PLAN_FORMAT,
        "status": plan.status,
        "person": {"name": plan.name, "id": plan.answers_id},
        "settings": {
            "start_date": plan.start_date.isoformat(),
            "weeks": plan.weeks_count,
            "days_per_week": plan.days_per_week,
            "minutes_per_session": plan.minutes_per_session,
            "dosing": plan.dosing,
        },
        "referral": [{"rule": r, "text": t} for r, t in plan.referral_reasons],
        "phases": [{"id": p.id, "name": p.name, "starts_week": p.starts_week, "about": p.about} for p in plan.phases],
        "weeks": [
            {
                "number": w.number,
                "phase": w.phase,
                "self_check": w.self_check,
                "sessions": [
                    {
                        "day": s.day,
                        "date": s.date.isoformat(),
                        "estimated_minutes": s.estimated_minutes,
                        "routine": s.routine,
                        "exercises": exercises(s.items),
                    }
                    for s in w.sessions
                ],
            }
            for w in plan.weeks
        ],
        "exercises": [
            {
                "id": c.id,
                "name": c.name,
                "category": c.category,
                "first_week": c.first_week,
                "last_week": c.last_week,
                "priority": c.priority,
                "rules": list(c.rules),
                "dose_rules": list(c.dose_rules),
                "progression": c.progression,
                "how_often": c.how_often,
                "sessions": c.sessions,
                "weekly_doses": [{"week": w.week, "keep_level": w.keep, **_dose(w.dose)} for w in c.weekly_doses],
            }
            for c in plan.exercises
        ],
        "ruled_out": [{"id": r.id, "rules": list(r.rules), "until_week": r.until_week} for r in plan.ruled_out],
        "cautions": [{"id": c.id, "title": c.title, "text": c.text} for c in plan.cautions],
        "advice": [{"id": a.id, "title": a.title, "points": list(a.points)} for a in plan.advice],
        "reasons": [{"rule": r, "text": t} for r, t in plan.reasons],
        "notes": list(plan.notes),
        "left_out": [{"id": i, "why": why} for i, why in plan.left_out],
        "pain_rule": _text(plan.pain_rule),
        "self_check": _text(plan.self_check),
        "versions": plan.versions,
        "triage": {
            "time_frame": plan.triage.time_frame,
            "clearable": plan.triage.clearable,
            "cleared_for": list(plan.triage.cleared_for),
            "not_asked": list(plan.triage.not_asked),
            "start_back_group": plan.triage.start_back_group,
            "tell_them": list(plan.triage.tell_them),
            "written_on": plan.triage.written_on.isoformat() if plan.triage.written_on else None,
        },
        "answers": plan.answers,
        "checkin": followup_json(plan),
    }
    if printed is not None:
        out["printed"] = printed
    return out


def plan_json(plan: Plan, printed: dict | None = None) -> str:
    """Byte-identical for the same plan: sorted keys, fixed layout."""
    return canonical_json(plan_to_dict(plan, printed))
