"""Whole sessions: a warm-up first, one or two stable routines a week, volume trimmed before anything is dropped.

Why this shape: a session a person can follow alone starts by warming up, holds
enough to be worth doing, and is the same from one day to the next within a
week. Routine A (warm-up, strength, then the rest) falls on days with at least
one day since the last A, so strength work never falls on two days running;
routine B (warm-up, mobility and stretches) fills the days between. When a routine
runs past the time asked for, this week's rises are held back first (the walk's
too: its minutes never fall below last week's), then the least important
exercise is left out, then the walk (never the warm-up, never below the
minimum), and only then are doses trimmed below last week's. The session cap
counts exercises, not the graded walk, which fills the time left.
Doses rise week by week through `planner.progression`, from what was done.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from planner.catalogue import Exercise
from planner.memo import Bounded
from planner.model import Dose, Session, SessionItem, Week
from planner.progression import Level, next_level, trimmed

ORDER = {"mobility": 0, "strength": 1, "stretch": 2, "aerobic": 3}  # warm up, work, stretch, then walk

# next_level's answers for every plan in the process. They depend on the catalogue entry, the tops, the
# ratio, the time per rep and the cap alone, and people's rises walk the same few levels, so working each
# one out again per person took 0.04 ms of a plan's 0.8. Keyed by the exercise object's identity (the
# value holds the object, so the id stays its own); emptied whole when full (memo.Bounded).
_SHARED_STEPS: Bounded[tuple, tuple[Exercise, Level | None]] = Bounded(20_000)
_NOT_YET = object()


def _shared_step(ex: Exercise, level: Level, tops: dict[str, int], ratio: float, seconds_per_rep: int,
                 cap: float | None) -> Level | None:
    key = (id(ex), level, tuple(tops.items()), ratio, seconds_per_rep, cap)
    found = _SHARED_STEPS.get(key)
    if found is not None and found[0] is ex:
        return found[1]
    return _SHARED_STEPS.keep(key, (ex, next_level(ex, level, tops, ratio, seconds_per_rep, cap)))[1]


# Each exercise's session item at each level, for every plan in the process: it depends on the catalogue
# entry and the level alone, and plans meet the same few levels (a Dose and a SessionItem made afresh each
# time were 0.01 ms a plan). Keyed by the exercise object's identity, as _SHARED_STEPS; emptied whole at the limit.
_SHARED_ITEMS: Bounded[tuple[int, Level], tuple[Exercise, SessionItem]] = Bounded(20_000)


def _shared_item(ex: Exercise, level: Level) -> SessionItem:
    key = (id(ex), level)
    found = _SHARED_ITEMS.get(key)
    if found is not None and found[0] is ex:
        return found[1]
    return _SHARED_ITEMS.keep(key, (ex, SessionItem(ex.id, dose_of(ex, level))))[1]


@dataclass(eq=False)
class Entry:
    """One exercise on its way through the weeks: when it is in, how important, and its level now.

    Compared by identity (one entry per exercise): fitting looks entries up in routines many times a week,
    and comparing every field, the exercise's whole catalogue entry with it, took a sixth of a layout."""

    ex: Exercise
    first: int
    last: int
    priority: int
    level: Level
    tops: dict[str, int]
    cap: float | None = None  # the most work a session may hold (a lower ceiling), None for the range's top
    done: dict[int, Level] = field(default_factory=dict)  # week -> the level scheduled that week
    # next_level from each level met, kept: the layout and each week's "keep this level" ask the same.
    _steps: dict[tuple, Level | None] = field(default_factory=dict, init=False, repr=False)
    # The session item for each level met, kept: most weeks repeat a level, and every session of a week
    # shows it, so building a Dose per routine per week was a sixth of a layout.
    _items: dict[Level, SessionItem] = field(default_factory=dict, init=False, repr=False)

    def step_up(self, level: Level, ratio: float, seconds_per_rep: int) -> Level | None:
        """This exercise's next level from `level` (progression.next_level), None at its ceiling."""
        key = (level, ratio, seconds_per_rep)
        found = self._steps.get(key, _NOT_YET)  # one look-up, not two: None (the ceiling) is an answer
        if found is _NOT_YET:
            found = self._steps[key] = _shared_step(self.ex, level, self.tops, ratio, seconds_per_rep, self.cap)
        return found

    def item(self, level: Level) -> SessionItem:
        """This exercise at `level`, as a session shows it (one shared, immutable object per level)."""
        found = self._items.get(level)
        if found is None:
            found = self._items[level] = _shared_item(self.ex, level)
        return found

    @property
    def strength(self) -> bool:
        return self.ex.dose.frequency == "alternate_days"

    def warm_up_key(self) -> tuple:
        return (self.priority, "warm_up" not in self.ex.tags, self.ex.id)


@dataclass(frozen=True)
class Layout:
    weeks: tuple[Week, ...]
    entries: dict[str, Entry]
    left_out: dict[str, int]  # exercise id -> weeks it did not fit


def dose_of(ex: Exercise, level: Level) -> Dose:
    return Dose(sets=level.sets, reps=level.reps, hold_seconds=level.hold_seconds, per_side=ex.dose.per_side,
                minutes=level.minutes)


def seconds(ex: Exercise, dose: Dose, timing: dict) -> int:
    """How long one exercise takes: work, rest between sets, and getting into position."""
    sides = 2 if dose.per_side else 1
    if dose.minutes is not None:
        return dose.sets * dose.minutes * 60
    per_rep = (dose.hold_seconds or 0) + (timing["seconds_per_rep"] if dose.reps else 0)
    rest = ex.dose.rest_seconds if ex.dose.rest_seconds is not None else timing["rest_between_sets_seconds"]
    return sides * dose.sets * (dose.reps or 1) * per_rep + (dose.sets - 1) * rest + timing["setup_seconds"]


def session_dates(first: dt.date, weeks: int, offsets: list[int]) -> list[list[dt.date]]:
    return [[first + dt.timedelta(days=7 * w + o) for o in sorted(offsets)] for w in range(weeks)]


def _routines(active: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """Routine A and routine B for one week, warm-up first; B is empty when nothing is strength work."""
    mobility = sorted((e for e in active if e.ex.category == "mobility"), key=Entry.warm_up_key)
    rest = sorted((e for e in active if e.ex.category != "mobility"),
                  key=lambda e: (ORDER[e.ex.category], e.priority, e.ex.id))
    strength = [e for e in rest if e.strength]
    daily = [e for e in rest if not e.strength]
    if not strength:
        return mobility + daily, []
    return mobility[:1] + strength + mobility[1:] + daily, mobility + daily


# A layout's own seconds table, when its caller keeps none, meets only its exercises' levels: far below this
# (1,000 random people's layouts together meet 163 pairs of exercise and level).
_ONE_LAYOUT = 4_096


class _Fitter:
    """Fits routines to the cap and the clock, sharing one level per exercise for the week.

    Over time, in this order: hold back this week's rises (the walk's first, so the daily walk never
    shrinks; then the least important exercise's), leave out the least important exercise, then the
    walk, and only when a session is down to its minimum trim below last week's level. Once the time
    asked for is full, doses hold rather than push past it. Once fitting has begun, `levels` change only
    through the fitter (it keeps each fitted entry's seconds at its level)."""

    def __init__(self, levels: dict[str, Level], last_week: dict[str, Level], cap: int, budget: int, minimum: int,
                 timing: dict, known: Bounded[tuple[str, Level], int] | None = None):
        self.levels, self.last_week = levels, last_week
        self.cap, self.budget, self.minimum, self.timing = cap, budget, minimum, timing
        # Seconds of each (exercise, level) tried: fitting asks again after every change. `known` is shared
        # by a layout's weeks, and by every plan of one rulebook and catalogue (build._SECONDS): one timing.
        self._seconds = Bounded(_ONE_LAYOUT) if known is None else known
        self._now: dict[Entry, int] = {}  # each entry fitted so far: its seconds at its level now
        self.changes = 0  # levels held back or trimmed so far: fitting at unchanged levels changes nothing

    def seconds(self, e: Entry) -> int:
        key = (e.ex.id, self.levels[e.ex.id])
        found = self._seconds.get(key)
        if found is None:  # the item's dose, which the session shows too: one Dose per level, not two
            found = self._seconds.keep(key, seconds(e.ex, e.item(key[1]).dose, self.timing))
        return found

    def minutes(self, routine: list[Entry]) -> int:
        return math.ceil(sum(map(self.seconds, routine)) / 60)

    def fit(self, routine: list[Entry]) -> tuple[list[Entry], int]:
        """`routine` fitted to the cap and the clock, and its minutes at the levels it now holds."""
        routine = list(routine)
        # Each entry's seconds at its level, counted once for the week and kept up to date by _set: the loop
        # asks the routine's minutes after every change, and counting them entry by entry was a fifth of a layout.
        now = self._now
        for e in routine:
            if e not in now:
                now[e] = self.seconds(e)
        walk = [e for e in routine if e.ex.category == "aerobic"]
        while len(routine) - len(walk) > self.cap:  # the walk fills time, not the cap
            routine.remove(self._least([e for e in routine if e.ex.category != "aerobic"]))
        minutes = 0  # an empty routine takes no time
        while routine and (minutes := math.ceil(sum(map(now.__getitem__, routine)) / 60)) > self.budget:
            if self._hold_back(walk) or self._hold_back([e for e in routine if e not in walk]):
                continue
            if len(routine) - len(walk) > self.minimum:  # an exercise gives way before the daily walk
                routine.remove(self._least([e for e in routine if e not in walk]))
            elif walk:
                routine.remove(walk.pop())
            elif not self._trim(routine):
                break
        return routine, (minutes if routine else 0)

    def _set(self, e: Entry, level: Level) -> None:
        """Hold `e` at `level` this week (a rise held back or a dose trimmed)."""
        self.levels[e.ex.id] = level
        self._now[e] = self.seconds(e)
        self.changes += 1

    @staticmethod
    def _least(routine: list[Entry]) -> Entry:
        """The least important exercise after the warm-up: highest priority number, latest in the routine."""
        candidates = list(enumerate(routine))[1:]
        return max(candidates, key=lambda ie: (ie[1].priority, ie[0]))[1]

    def _by_importance(self, routine: list[Entry]) -> list[Entry]:
        """Least important first: highest priority number, then latest in the routine (the stable sort
        of the reversed routine, rather than looking each entry's place up in it)."""
        return sorted(reversed(routine), key=lambda e: -e.priority)

    def _hold_back(self, routine: list[Entry]) -> bool:
        """Undo one exercise's rise this week: it stays at last week's level."""
        for e in self._by_importance(routine):
            before = self.last_week.get(e.ex.id)
            now = self.levels[e.ex.id]
            if before is not None and now is not before and now != before:  # `is` first: most levels are shared
                self._set(e, before)
                return True
        return False

    def _trim(self, routine: list[Entry]) -> bool:
        for e in self._by_importance(routine):
            lower = trimmed(e.ex, self.levels[e.ex.id])
            if lower is not None:
                self._set(e, lower)
                return True
        return False


def lay_out(entries: dict[str, Entry], settings: dict, first_day: dt.date, total: int, plan_settings: dict,
            phase_of_week: list[str], pace: str, known: Bounded[tuple[str, Level], int] | None = None) -> Layout:
    """The weeks, fitted. `known`: seconds per (exercise id, level) under these settings' timing, which a
    caller may keep for one catalogue and rulebook across plans (its owner sets its bound); else one layout's."""
    timing = settings["timing"]
    ratio = settings["progression"]["max_weekly_work_ratio"]
    every = settings["slow_pace"]["rise_every_weeks"] if pace == "slow" else 1
    offsets = settings["session_days"][str(plan_settings["days_per_week"])]
    fitter_args = (settings["max_exercises_per_session"], plan_settings["minutes_per_session"],
                   settings["sessions"]["min_exercises"], timing)
    left_out: dict[str, int] = {}
    last_a: dt.date | None = None
    weeks: list[Week] = []
    if known is None:
        known = Bounded(_ONE_LAYOUT)  # seconds per (exercise, level), for every week's fitter
    routines_of: tuple[list[Entry], tuple[list[Entry], list[Entry]]] = ([], ([], []))  # the last active set's
    for index, dates in enumerate(session_dates(first_day, total, offsets)):
        number = index + 1
        active = [e for e in entries.values() if e.first <= number <= e.last]
        levels: dict[str, Level] = {}
        last_week: dict[str, Level] = {}
        for e in active:  # one step up, if it was done last week and this is a week to rise
            before = e.done.get(number - 1)
            if before is not None:
                last_week[e.ex.id] = before
                if (number - e.first) % every == 0:
                    e.level = e.step_up(before, ratio, timing["seconds_per_rep"]) or before
            levels[e.ex.id] = e.level
        fitter = _Fitter(levels, last_week, *fitter_args, known)
        if active != routines_of[0]:  # the same exercises as last week make the same routines: sort once
            routines_of = (active, _routines(active))
        plan_b, minutes_b = fitter.fit(routines_of[1][1])
        fitted_b = fitter.changes
        plan_a, minutes_a = fitter.fit(routines_of[1][0])
        if fitter.changes != fitted_b:  # again, with any levels A held back or trimmed (else it is as fitted)
            plan_b, minutes_b = fitter.fit(routines_of[1][1])
        # Each routine's items and minutes, the same on every day it falls this week.
        made = {name: (tuple([e.item(levels[e.ex.id]) for e in routine]), minutes)
                for name, routine, minutes in (("A", plan_a, minutes_a), ("B", plan_b, minutes_b))}
        sessions = []
        for date in dates:
            a_day = not plan_b or last_a is None or (date - last_a).days >= 2
            if a_day:
                last_a = date
            items, minutes = made["A" if a_day else "B"]
            sessions.append(Session(date, minutes, items, "A" if a_day else "B"))
        # Every session holds one routine's items: the routines that fell this week say what was used.
        held = {s.routine for s in sessions}
        used = {e.ex.id for name, routine in (("A", plan_a), ("B", plan_b)) if name in held for e in routine}
        rose = False
        for e in active:
            if e.ex.id in used:
                e.level = levels[e.ex.id]
                before = last_week.get(e.ex.id)  # the same object when it did not rise: no amount to compare
                rose |= before is not None and before is not e.level and _higher(e.level, before)
                e.done[number] = e.level
            else:
                left_out[e.ex.id] = left_out.get(e.ex.id, 0) + 1
        new_phase = index > 0 and phase_of_week[index] != phase_of_week[index - 1]
        weeks.append(Week(number, phase_of_week[index], tuple(sessions), self_check=rose or new_phase))
    return Layout(tuple(weeks), entries, left_out)


def _higher(level: Level, before: Level) -> bool:
    """Did any amount rise? (TRIMMING's amounts, spelt out: getattr by name took a twentieth of a layout.)"""
    return ((level.sets or 0) > (before.sets or 0) or (level.reps or 0) > (before.reps or 0)
            or (level.hold_seconds or 0) > (before.hold_seconds or 0) or (level.minutes or 0) > (before.minutes or 0))


def keep_level(entry: Entry, week: int, ratio: float, seconds_per_rep: int) -> bool:
    """At its ceiling this week (no step up is left): the plan says keep this level."""
    return entry.step_up(entry.done[week], ratio, seconds_per_rep) is None


def short_of_request(weeks: tuple[Week, ...], second_phase_week: int, asked: int, share: float) -> bool:
    """From the second phase on, does any session fill less than `share` of the minutes asked for?"""
    return any(s.estimated_minutes < share * asked for w in weeks if w.number >= second_phase_week for s in w.sessions)
