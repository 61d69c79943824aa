"""The plan model: what the rules decided for one person, ready for any renderer.

Plain frozen dataclasses, so the JSON and PDF renderers read the same facts
and neither re-derives anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dose:
    sets: int
    reps: int | None
    hold_seconds: int | None
    per_side: bool
    minutes: int | None = None  # a timed activity (the walk)


@dataclass(frozen=True)
class SessionItem:
    id: str
    dose: Dose


@dataclass(frozen=True)
class Session:
    date: dt.date
    estimated_minutes: int
    items: tuple[SessionItem, ...]  # the first is the warm-up
    routine: str = "A"  # "A": warm-up, strength and the rest; "B": warm-up, mobility and stretches

    @property
    def day(self) -> str:
        return self.date.strftime("%A")


@dataclass(frozen=True)
class Week:
    number: int
    phase: str
    sessions: tuple[Session, ...]
    self_check: bool = False  # doses rise or a phase starts: answer the self-check first


@dataclass(frozen=True)
class WeekDose:
    week: int
    dose: Dose
    keep: bool = False  # at its ceiling: keep this level


@dataclass(frozen=True)
class Chosen:
    """An exercise in the plan: everything its card prints, and the rules behind it.

    Renderers read this, never the catalogue, so a plan made from another catalogue prints as made."""

    id: str
    name: str
    category: str
    first_week: int
    priority: int
    rules: tuple[str, ...]
    weekly_doses: tuple[WeekDose, ...]  # one per week it is scheduled in, as scheduled
    last_week: int = 0
    dose_rules: tuple[str, ...] = ()
    progression: str | None = None  # a checkpoint to discuss with a physiotherapist, never a scheduled dose
    aim: str = ""
    steps: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    figure: dict | None = None
    how_often: str = ""  # computed from the schedule
    sessions: int = 0  # how many sessions hold it
    reasons: tuple[str, ...] = ()  # why it is in this plan, matched to this exercise
    rest_seconds: int = 30  # rest between sets, printed with every dose that has sets


@dataclass(frozen=True)
class RuledOut:
    id: str
    rules: tuple[str, ...]
    until_week: int | None = None  # None: out of the whole plan


@dataclass(frozen=True)
class Text:
    id: str
    title: str
    text: str = ""
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseSpan:
    id: str
    name: str
    starts_week: int
    about: str


@dataclass(frozen=True)
class Triage:
    """How soon a referral must be seen, and what a plan relies on (docs/triage.md)."""

    time_frame: str | None = None  # "now", "today" or "soon" for a referral; None for a plan
    clearable: bool = False  # a professional's clearance would lift every reason for this referral
    cleared_for: tuple[str, ...] = ()  # what the plan relies on a professional's clearance for
    not_asked: tuple[str, ...] = ()  # titles of the questions a version 1 file never asked
    start_back_group: str | None = None  # "low", "medium" or "high" when STarT Back scores were given
    tell_them: tuple[str, ...] = ()  # plain sentences from the answers, for the clinician
    written_on: dt.date | None = None  # the day a referral was written (its page footer); None for a plan


@dataclass(frozen=True)
class Plan:
    status: str  # "plan", "see_professional" or "urgent_care"
    name: str | None
    answers_id: str | None
    start_date: dt.date
    weeks_count: int
    days_per_week: int
    minutes_per_session: int
    phases: tuple[PhaseSpan, ...]
    weeks: tuple[Week, ...]
    exercises: tuple[Chosen, ...]
    ruled_out: tuple[RuledOut, ...]
    cautions: tuple[Text, ...]
    advice: tuple[Text, ...]
    reasons: tuple[tuple[str, str], ...]  # (rule id, because) of every rule that fired
    referral_reasons: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    dosing: dict = field(default_factory=dict)
    focus: tuple[str, ...] = ()  # the reasons that shaped the plan's content, for its cover
    versions: dict = field(default_factory=dict)
    triage: Triage = field(default_factory=Triage)
    pain_rule: Text | None = None  # the one pain rule, printed the same everywhere
    self_check: Text | None = None  # the questions before a week in which doses rise
    left_out: tuple[tuple[str, str], ...] = ()  # (exercise id, why): for explain and the JSON, not the patient
    answers: dict | None = None  # the answers the plan was made from (a check-in reads them back)
    followup: dict = field(default_factory=dict)  # check-ins: block, first_week, history, changes (planner.followup)

    @property
    def activities(self) -> tuple[str, ...]:
        """The everyday activities the person rates at each check-in, in their own words: those of the last
        check-in that rated any, else the first questionnaire's (the printed check-in form fills them in)."""
        for point in reversed((self.followup or {}).get("history", [])):
            if point["activities"]:
                return tuple(a["activity"] for a in point["activities"])
        return tuple(a["activity"] for a in (self.answers or {}).get("activities", []))
