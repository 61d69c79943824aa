"""What the exchange formats (iCalendar, FHIR) read from a plan.

The calendar and FHIR writers read the plan only through the small accessors
below, never the model's classes directly: when the plan model changes, these
few functions are the one place to adapt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from planner.model import Dose, Plan
from planner.pdf.text import dose_text
from planner.render_json import plan_json


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    dose: Dose

    @property
    def dose_words(self) -> str:
        return dose_text(self.dose)


@dataclass(frozen=True)
class SessionView:
    week: int
    phase: str
    date: dt.date
    minutes: int
    items: tuple[Item, ...]


def status(plan: Plan) -> str:
    """"plan", or the referral's kind ("see_professional", "urgent_care")."""
    return plan.status


def person(plan: Plan) -> tuple[str | None, str | None]:
    """(name, answers id), either may be absent."""
    return plan.name, plan.answers_id


def sessions(plan: Plan) -> list[SessionView]:
    """Every session in date order, with each exercise's name and dose."""
    names = {c.id: c.name for c in plan.exercises}
    return [SessionView(w.number, w.phase, s.date, s.estimated_minutes,
                        tuple(Item(i.id, names.get(i.id, i.id), i.dose) for i in s.items))
            for w in plan.weeks for s in w.sessions]


def period(plan: Plan) -> tuple[dt.date, dt.date]:
    """The first and last day the plan covers."""
    return plan.start_date, plan.start_date + dt.timedelta(days=7 * plan.weeks_count - 1)


def reasons(plan: Plan) -> list[tuple[str, str]]:
    """(rule id, reason) of every rule that shaped the plan."""
    return list(plan.reasons)


def referral_reasons(plan: Plan) -> list[tuple[str, str]]:
    return list(plan.referral_reasons)


def cautions(plan: Plan) -> list[tuple[str, str]]:
    """(title, text) of every caution the plan carries, the one pain rule first (when to stop and get help)."""
    rule = [(plan.pain_rule.title, " ".join(plan.pain_rule.points))] if plan.pain_rule else []
    return rule + [(c.title, c.text) for c in plan.cautions]


def versions(plan: Plan) -> dict:
    return dict(plan.versions)


def fingerprint(plan: Plan) -> str:
    """A short digest of the plan's JSON: stable ids (calendar UIDs, FHIR ids) for the same answers."""
    return hashlib.sha256(plan_json(plan).encode("utf-8")).hexdigest()[:20]


def exercise_rules(plan: Plan) -> dict[str, list[str]]:
    """Each exercise's reasons: why the rules put it in the plan, in plain words."""
    texts = dict(plan.reasons)
    return {c.id: [texts[r] for r in c.rules if r in texts] for c in plan.exercises}
