"""Doses that rise at a fixed weekly rate, one step of one amount at a time.

Why this shape: a dose that is spread over the weeks left climbs in jumps when an
exercise starts late or a plan is short. Here the plan's length changes how far a
person gets, never how fast they climb (ACSM's progression models: small, regular
steps; see docs/clinical.md). Each week at most one amount rises, by the step the
catalogue gives it; a new set may bring the count (or hold) down so that the work of
one session never grows by more than `max_weekly_work_ratio` from one week to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.catalogue import Exercise

# The order a rise is tried in: the count, the hold or the time first, a new set last.
RISING = ("reps", "hold_seconds", "minutes", "sets")
# The order volume is trimmed in when a session runs long: sets first, then the count, hold and time.
TRIMMING = ("sets", "reps", "hold_seconds", "minutes")
SUPPORTING = ("reps", "hold_seconds", "minutes")  # what may fall back when a set is added

START_ORDER = ("bottom", "base", "step_up")  # most cautious first
PACE_ORDER = ("slow", "normal")
CEILING_ORDER = ("below_top", "top")


@dataclass(frozen=True)
class Level:
    """One exercise's amounts for one week (None where the exercise has no such amount)."""

    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None


def work(level: Level, seconds_per_rep: int) -> int:
    """Seconds of work in one session on one side: sets x reps x (hold + time per rep), or the minutes."""
    if level.minutes is not None:
        return level.sets * level.minutes * 60
    per_rep = (level.hold_seconds or 0) + (seconds_per_rep if level.reps else 0)
    return level.sets * (level.reps or 1) * per_rep


def ceilings(ex: Exercise, ceiling: str) -> dict[str, int]:
    """The highest value of each amount: the top of its range, or halfway up it under `below_top`."""
    out = {}
    for name in TRIMMING:
        a = ex.dose.amount(name)
        if a is not None:
            out[name] = a.high if ceiling == "top" else a.low + (a.high - a.low) // 2
    return out


def start_level(ex: Exercise, start: str, override: dict[str, int], tops: dict[str, int],
                ratio: float, seconds_per_rep: int) -> Level:
    """Where an exercise starts: its range's bottom, its base, or one step above its base.

    A rule's `set_dose` replaces the base (kept inside the range); nothing starts above a ceiling."""
    values: dict[str, int | None] = {}
    for name in TRIMMING:
        a = ex.dose.amount(name)
        if a is None:
            values[name] = None
            continue
        first = a.low if start == "bottom" else a.base
        if name in override:
            first = min(first, override[name]) if start == "bottom" else override[name]
        values[name] = max(a.low, min(tops[name], a.high, first))
    level = Level(**values)  # type: ignore[arg-type]
    if start == "step_up":
        level = next_level(ex, level, tops, ratio, seconds_per_rep) or level
    return level


def next_level(ex: Exercise, level: Level, tops: dict[str, int], ratio: float,
               seconds_per_rep: int) -> Level | None:
    """Next week's level: one amount up by its step, within the work ratio; None at the ceiling."""
    limit = work(level, seconds_per_rep) * ratio
    step = ex.dose.step or {}
    for name in RISING:
        current = getattr(level, name)
        if name not in step or current is None or current >= tops[name]:
            continue
        if name == "sets":
            candidate = replace(level, sets=current + 1)
            for other in SUPPORTING:  # a new set: bring the count, then the hold, down by their steps
                a = ex.dose.amount(other)
                while a is not None and work(candidate, seconds_per_rep) > limit and getattr(candidate, other) > a.low:
                    lower = max(a.low, getattr(candidate, other) - step.get(other, 1))
                    candidate = replace(candidate, **{other: lower})
            if work(candidate, seconds_per_rep) <= limit:
                return candidate
            continue
        for value in range(min(tops[name], current + step[name]), current, -1):
            candidate = replace(level, **{name: value})
            if work(candidate, seconds_per_rep) <= limit:
                return candidate
    return None


def trimmed(ex: Exercise, level: Level) -> Level | None:
    """One step less volume (a set, then the count, the hold, the time), never below the range; None at the bottom."""
    step = ex.dose.step or {}
    for name in TRIMMING:
        a, current = ex.dose.amount(name), getattr(level, name)
        if a is not None and current > a.low:
            return replace(level, **{name: max(a.low, current - step.get(name, 1))})
    return None


def at_ceiling(level: Level, tops: dict[str, int]) -> bool:
    return all(getattr(level, name) >= top for name, top in tops.items())


def most_cautious(order: tuple[str, ...], a: str, b: str) -> str:
    """Of two dosing choices, the one earlier in `order` (the more cautious)."""
    return a if order.index(a) <= order.index(b) else b
