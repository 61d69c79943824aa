"""Doses that rise at a fixed weekly rate, one step of one amount at a time.

Why this shape: a dose that is spread over the weeks left climbs in jumps when an
exercise starts late or a plan is short. Here the plan's length changes how far a
person gets, never how fast they climb (ACSM's progression models: small, regular
steps; see docs/clinical.md). Each week at most one amount rises, by the step the
catalogue gives it; a new set may bring the count (or hold) down so that the work of
one session never grows by more than `max_weekly_work_ratio` from one week to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.catalogue import Exercise

# The order a rise is tried in: the count, the hold or the time first, a new set last.
RISING = ("reps", "hold_seconds", "minutes", "sets")
# The order volume is trimmed in when a session runs long: sets first, then the count, hold and time.
TRIMMING = ("sets", "reps", "hold_seconds", "minutes")
SUPPORTING = ("reps", "hold_seconds", "minutes")  # what may fall back when a set is added

START_ORDER = ("bottom", "base", "step_up")  # most cautious first
PACE_ORDER = ("slow", "normal")
CEILING_ORDER = ("below_top", "top")  # below_top: see work_cap


@dataclass(frozen=True)
class Level:
    """One exercise's amounts for one week (None where the exercise has no such amount)."""

    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    # Hashed once: laying out a plan looks levels up about 400 times, and the generated __hash__ built a
    # tuple of the four amounts at every look-up (7% of making a plan).
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # whole numbers only (-1 for "none"): hash(None) differs between processes
        reps, hold, minutes = self.reps, self.hold_seconds, self.minutes
        object.__setattr__(self, "_hash", hash((self.sets, -1 if reps is None else reps, -1 if hold is None else hold,
                                                -1 if minutes is None else minutes)))

    def __hash__(self) -> int:
        return self._hash


def _with(level: Level, name: str, value: int) -> Level:
    """`level` with one amount changed: dataclasses.replace without its checks, which took a tenth of a layout."""
    values = {"sets": level.sets, "reps": level.reps, "hold_seconds": level.hold_seconds, "minutes": level.minutes}
    values[name] = value
    return Level(**values)


def work(level: Level, seconds_per_rep: int) -> int:
    """Seconds of work in one session on one side: sets x reps x (hold + time per rep), or the minutes."""
    if level.minutes is not None:
        return level.sets * level.minutes * 60
    per_rep = (level.hold_seconds or 0) + (seconds_per_rep if level.reps else 0)
    return level.sets * (level.reps or 1) * per_rep


def ceilings(ex: Exercise) -> dict[str, int]:
    """The highest value of each amount: the top of its range."""
    return {name: a.high for name in TRIMMING if (a := ex.dose.amount(name)) is not None}


def work_cap(ex: Exercise, ceiling: str, share: float, seconds_per_rep: int) -> float | None:
    """Under `below_top`, the most work one session may hold: `share` of the work at the top of every range.

    A cap on work, not on each amount, keeps a capped plan on the same path as an uncapped one, only
    stopping earlier: at any week it is never ahead of the same person without the cap."""
    if ceiling == "top":
        return None
    top = Level(**{name: (a.high if (a := ex.dose.amount(name)) else None) for name in TRIMMING})
    return share * work(top, seconds_per_rep)


def start_level(ex: Exercise, start: str, override: dict[str, int], tops: dict[str, int],
                ratio: float, seconds_per_rep: int, cap: float | None = None) -> Level:
    """Where an exercise starts: its range's bottom, its base, or one step above its base.

    A rule's `set_dose` replaces the base (kept inside the range); nothing starts above the work cap."""
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
        level = next_level(ex, level, tops, ratio, seconds_per_rep, cap) or level
    while cap is not None and work(level, seconds_per_rep) > cap and (lower := trimmed(ex, level)) is not None:
        level = lower
    return level


def next_level(ex: Exercise, level: Level, tops: dict[str, int], ratio: float,
               seconds_per_rep: int, cap: float | None = None) -> Level | None:
    """Next week's level: one amount up by its step, within the work ratio and the cap; None at the ceiling."""
    limit = work(level, seconds_per_rep) * ratio
    if cap is not None:
        limit = min(limit, cap)
    step = ex.dose.step or {}
    for name in RISING:
        current = getattr(level, name)
        if name not in step or current is None or current >= tops[name]:
            continue
        if name == "sets":
            candidate = _with(level, "sets", current + 1)
            for other in SUPPORTING:  # a new set: bring the count, then the hold, down by their steps
                a = ex.dose.amount(other)
                while a is not None and work(candidate, seconds_per_rep) > limit and getattr(candidate, other) > a.low:
                    lower = max(a.low, getattr(candidate, other) - step.get(other, 1))
                    candidate = _with(candidate, other, lower)
            if work(candidate, seconds_per_rep) <= limit:
                return candidate
            continue
        full = min(tops[name], current + step[name])
        if cap is not None and work(_with(level, name, full), seconds_per_rep) > cap:
            continue  # the cap stops whole steps only, so no dose becomes an odd 21 s hold
        for value in range(full, current, -1):  # a smaller step only where the weekly ratio needs one
            candidate = _with(level, name, value)
            if work(candidate, seconds_per_rep) <= limit:
                return candidate
    return None


def trimmed(ex: Exercise, level: Level) -> Level | None:
    """One step less volume (a set, then the count, the hold, the time), never below the range; None at the bottom."""
    step = ex.dose.step or {}
    for name in TRIMMING:
        a, current = ex.dose.amount(name), getattr(level, name)
        if a is not None and current > a.low:
            return _with(level, name, max(a.low, current - step.get(name, 1)))
    return None


def most_cautious(order: tuple[str, ...], a: str, b: str) -> str:
    """Of two dosing choices, the one earlier in `order` (the more cautious)."""
    return a if order.index(a) <= order.index(b) else b
