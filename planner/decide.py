"""From the rules that fired to decisions: one handler per action, order-independent.

durable_rules says which rules hold; this module applies their actions. Each
action has one handler in `HANDLERS` (checked against the vocabulary's actions
at import), and every conflict between rules is settled by one named policy in
`POLICIES`, so the order rules fire in never changes a plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.catalogue import Catalogue, Exercise
from planner.memo import PerSource
from planner.progression import CEILING_ORDER, PACE_ORDER, START_ORDER, most_cautious
from planner.rules import Rulebook
from planner.vocabulary import ACTIONS

SEVERITY = {"plan": 0, "see_professional": 1, "urgent_care": 2}

# Every conflict policy, named once. Tests look each one up here.
POLICIES = {
    "status": "the most serious status wins; every rule that asked for it is kept as a reason",
    "include": "the earliest start, the highest priority (lowest number) and the longest stay win",
    "exclude": "an exclusion beats an inclusion; of several exclusions the longest wins",
    "set_dosing": "the more cautious start, pace and ceiling win",
    "set_dose": "the lowest starting dose wins",
    "enable_progression": "the earliest phase wins",
    "add_caution": "the lowest rank wins, and cautions print by rank",
    "add_advice": "advice from every rule is printed once",
    "referral": "the most urgent time frame wins (applied in planner.triage)",
    "relies_on_clearance": "every clearance relied on is listed once (applied in planner.triage)",
}
DOSING_ORDERS = {"start": START_ORDER, "pace": PACE_ORDER, "ceiling": CEILING_ORDER}
DEFAULT_DOSING = {"start": "base", "pace": "normal", "ceiling": "top"}


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
    start: str = ""  # "" until a rule sets it; DEFAULT_DOSING fills what no rule set
    pace: str = ""
    ceiling: str = ""
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


@dataclass(frozen=True)
class Context:
    rulebook: Rulebook
    catalogue: Catalogue
    weeks: dict[str, int]  # phase id -> the week it starts, after the pace
    selected: dict[int, tuple[str, ...]] = field(default_factory=dict)  # see _selections

    def matching(self, selector: dict) -> tuple[str, ...]:
        """The catalogue's exercises a selector names, in catalogue order."""
        found = self.selected.get(id(selector))
        if found is None:
            found = tuple(ex.id for ex in self.catalogue.exercises.values() if _matches(selector, ex))
        return found


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


def _selections(rulebook: Rulebook, catalogue: Catalogue) -> dict[int, tuple[str, ...]]:
    """Every `exclude` selector of the rulebook (by identity) -> the exercises it matches.

    Per rulebook and catalogue, not per person: matching each selector against the whole catalogue was
    a ninth of a plan's Python. The rulebook holds the selectors, so their ids stay theirs while cached."""
    ctx = Context(rulebook, catalogue, {})
    return {id(params): ctx.matching(params) for rule in rulebook.rules.values() for action in rule.then
            for name, params in action.items() if name == "exclude"}


_SELECTIONS: PerSource[dict[int, tuple[str, ...]]] = PerSource(_selections)


def set_status(d: Decisions, rid: str, status: str, ctx: Context) -> None:
    if SEVERITY[status] > SEVERITY[d.status]:
        d.status, d.status_rules = status, []
    if status == d.status:
        d.status_rules.append(rid)


def include(d: Decisions, rid: str, params: dict, ctx: Context) -> None:
    start = ctx.weeks[params.get("from_phase", ctx.rulebook.phases[0].id)]
    end = ctx.weeks[params["until_phase"]] if "until_phase" in params else None
    priority = params.get("priority", 5)
    for ex_id in params["exercises"]:
        inc = d.included.get(ex_id)
        if inc is None:
            inc = d.included[ex_id] = Inclusion(start, priority, end)
        elif inc.end_week is not None:
            inc.end_week = None if end is None else max(inc.end_week, end)
        inc.start_week = min(inc.start_week, start)
        inc.priority = min(inc.priority, priority)
        inc.rules.add(rid)


def exclude(d: Decisions, rid: str, params: dict, ctx: Context) -> None:
    until = params.get("until_week")
    if "until_phase" in params:
        until = max(until or 0, ctx.weeks[params["until_phase"]])
    for ex_id in ctx.matching(params):
        previous = d.excluded.setdefault(ex_id, {}).get(rid, 0)
        d.excluded[ex_id][rid] = None if until is None or previous is None else max(previous, until)


def set_dosing(d: Decisions, rid: str, params: dict, ctx: Context) -> None:
    d.dosing_rules.add(rid)
    for name, order in DOSING_ORDERS.items():
        if name in params:
            current = getattr(d, name)
            setattr(d, name, most_cautious(order, current, params[name]) if current else params[name])


def set_dose(d: Decisions, rid: str, params: dict, ctx: Context) -> None:
    for ex_id in params["exercises"]:
        current = d.dose_overrides.setdefault(ex_id, {})
        for key, value in params.items():
            if key != "exercises":
                current[key] = min(current.get(key, value), value)
        d.dose_override_rules.setdefault(ex_id, set()).add(rid)


def enable_progression(d: Decisions, rid: str, params: dict, ctx: Context) -> None:
    start = ctx.weeks[params.get("from_phase", ctx.rulebook.phases[-1].id)]
    for ex_id in params["exercises"]:
        d.progressions[ex_id] = min(d.progressions.get(ex_id, (start, rid)), (start, rid))


def add_caution(d: Decisions, rid: str, params: dict, ctx: Context) -> None:
    rank = params.get("rank", 50)
    for cid in params["cautions"]:
        d.cautions[cid] = min(d.cautions.get(cid, (rank, rid)), (rank, rid))


def add_advice(d: Decisions, rid: str, params: dict, ctx: Context) -> None:
    for aid in params["advice"]:
        d.advice[aid] = min(d.advice.get(aid, rid), rid)


def read_by_triage(d: Decisions, rid: str, params: Any, ctx: Context) -> None:
    """`referral` and `relies_on_clearance` change no exercise or dose: `planner.triage` reads them."""


Handler = Callable[[Decisions, str, Any, Context], None]
HANDLERS: dict[str, Handler] = {
    "set_status": set_status, "include": include, "exclude": exclude, "set_dosing": set_dosing,
    "set_dose": set_dose, "enable_progression": enable_progression, "add_caution": add_caution,
    "add_advice": add_advice, "referral": read_by_triage, "relies_on_clearance": read_by_triage,
}
FIRST = ("set_dosing",)  # a slow pace moves the phase weeks every other action reads

if set(HANDLERS) != set(ACTIONS) or set(POLICIES) != set(ACTIONS) - {"set_status"} | {"status"}:
    raise RuntimeError(f"decide.HANDLERS and POLICIES must cover exactly the vocabulary's actions: {sorted(ACTIONS)}")


def _actions(rulebook: Rulebook) -> dict[str, tuple[tuple[str, str, Any], ...]]:
    """Each rule's actions as (rule id, action, parameters), in the order the rule lists them."""
    return {rid: tuple((rid, name, params) for action in rule.then for name, params in action.items())
            for rid, rule in rulebook.rules.items()}


# Per rulebook: unpacking every fired rule's actions again for each person was a sixth of deciding.
_ACTIONS: PerSource[dict[str, tuple[tuple[str, str, Any], ...]]] = PerSource(_actions)


def decide(rulebook: Rulebook, catalogue: Catalogue, fired: list[str]) -> Decisions:
    d = Decisions()
    of_rule = _ACTIONS(rulebook)
    actions = [action for rid in sorted(fired) for action in of_rule[rid]]
    early = Context(rulebook, catalogue, phase_weeks(rulebook, "normal"))
    for rid, name, params in actions:
        if name in FIRST:
            HANDLERS[name](d, rid, params, early)
    for name, default in DEFAULT_DOSING.items():
        setattr(d, name, getattr(d, name) or default)
    ctx = Context(rulebook, catalogue, phase_weeks(rulebook, d.pace), _SELECTIONS(rulebook, catalogue))
    for rid, name, params in actions:
        if name not in FIRST:
            HANDLERS[name](d, rid, params, ctx)
    return d
