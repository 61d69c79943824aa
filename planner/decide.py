"""From the rules that fired to decisions: one pass over their actions, order-independent.

durable_rules says which rules hold; this module applies their actions with
fixed conflict rules, so the order rules fire in never changes a plan:
the most serious status wins; an exclusion beats an inclusion; the earliest
phase and the highest priority of several inclusions win; the more cautious
dosing wins; the lowest starting dose wins; cautions print by rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.catalogue import Catalogue, Exercise
from planner.rules import Rulebook

SEVERITY = {"plan": 0, "see_professional": 1, "urgent_care": 2}


@dataclass
class Inclusion:
    start_week: int
    priority: int
    end_week: int | None = None  # the first week it is no longer in the plan (None: to the end)
    rules: set[str] = field(default_factory=set)


@dataclass
class Decisions:
    status: str = "plan"
    status_rules: list[str] = field(default_factory=list)
    included: dict[str, Inclusion] = field(default_factory=dict)
    # exercise id -> {rule id: week it may start (None: never)}
    excluded: dict[str, dict[str, int | None]] = field(default_factory=dict)
    start: str = "base"
    pace: str = "normal"
    dosing_rules: set[str] = field(default_factory=set)
    dose_overrides: dict[str, dict[str, int]] = field(default_factory=dict)
    dose_override_rules: dict[str, set[str]] = field(default_factory=dict)
    progressions: dict[str, tuple[int, str]] = field(default_factory=dict)
    cautions: dict[str, tuple[int, str]] = field(default_factory=dict)
    advice: dict[str, str] = field(default_factory=dict)

    def start_week(self, ex_id: str) -> int | None:
        """The first week an included exercise may appear, after every exclusion (None: never)."""
        inc = self.included.get(ex_id)
        if inc is None:
            return None
        week = inc.start_week
        for until in self.excluded.get(ex_id, {}).values():
            if until is None:
                return None
            week = max(week, until)
        return week


def phase_weeks(rulebook: Rulebook, pace: str) -> dict[str, int]:
    """The week each phase starts; a slow pace moves every phase after the first later."""
    delay = rulebook.settings["slow_pace"]["phase_delay_weeks"] if pace == "slow" else 0
    return {p.id: p.starts_week + (delay if i else 0) for i, p in enumerate(rulebook.phases)}


def _matches(selector: dict, exercise: Exercise) -> bool:
    return bool(
        exercise.id in selector.get("exercises", ())
        or set(selector.get("tags", ())) & set(exercise.tags)
        or set(selector.get("equipment", ())) & set(exercise.equipment)
        or (selector.get("needs_floor") and exercise.needs_floor)
    )


def decide(rulebook: Rulebook, catalogue: Catalogue, fired: list[str]) -> Decisions:
    d = Decisions()
    actions = [(rid, action) for rid in sorted(fired) for action in rulebook.rules[rid].then]

    # Dosing first: a slow pace moves phase start weeks, which inclusions use.
    for rid, action in actions:
        params = action.get("set_dosing")
        if params:
            d.dosing_rules.add(rid)
            if params.get("start") == "bottom":
                d.start = "bottom"
            if params.get("pace") == "slow":
                d.pace = "slow"
    weeks = phase_weeks(rulebook, d.pace)

    for rid, action in actions:
        (name, params), = action.items()
        if name == "set_status" and SEVERITY[params] >= SEVERITY[d.status]:
            if SEVERITY[params] > SEVERITY[d.status]:
                d.status_rules = []
            d.status = params
            d.status_rules.append(rid)
        elif name == "include":
            start = weeks[params.get("from_phase", rulebook.phases[0].id)]
            end = weeks[params["until_phase"]] if "until_phase" in params else None
            priority = params.get("priority", 5)
            for ex_id in params["exercises"]:
                inc = d.included.get(ex_id)
                if inc is None:
                    inc = d.included[ex_id] = Inclusion(start, priority, end)
                elif inc.end_week is not None:  # the longest stay of several inclusions wins
                    inc.end_week = None if end is None else max(inc.end_week, end)
                inc.start_week = min(inc.start_week, start)
                inc.priority = min(inc.priority, priority)
                inc.rules.add(rid)
        elif name == "exclude":
            until = params.get("until_week")
            if "until_phase" in params:
                until = max(until or 0, weeks[params["until_phase"]])
            for ex in catalogue.exercises.values():
                if _matches(params, ex):
                    previous = d.excluded.setdefault(ex.id, {}).get(rid, 0)
                    d.excluded[ex.id][rid] = None if until is None or previous is None else max(previous, until)
        elif name == "set_dose":
            for ex_id in params["exercises"]:
                current = d.dose_overrides.setdefault(ex_id, {})
                for key, value in params.items():
                    if key != "exercises":
                        current[key] = min(current.get(key, value), value)
                d.dose_override_rules.setdefault(ex_id, set()).add(rid)
        elif name == "enable_progression":
            start = weeks[params.get("from_phase", rulebook.phases[-1].id)]
            for ex_id in params["exercises"]:
                d.progressions[ex_id] = min(d.progressions.get(ex_id, (start, rid)), (start, rid))
        elif name == "add_caution":
            rank = params.get("rank", 50)
            for cid in params["cautions"]:
                d.cautions[cid] = min(d.cautions.get(cid, (rank, rid)), (rank, rid))
        elif name == "add_advice":
            for aid in params["advice"]:
                d.advice[aid] = min(d.advice.get(aid, rid), rid)
    return d
