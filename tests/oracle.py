"""An independent evaluator of the rule vocabulary, for tests only.

It reads a rule's `when` straight from the rule file's words (all, any,
always, and every operator) and tests it on the nested answers, without
durable_rules, the flattening or the compiler. `tests/test_oracle.py` checks
that durable_rules fires exactly the rules this evaluator says hold.

The one shared convention is the documented precision: numbers are compared
to 4 decimal places (durable_rules cannot take a float written with an
exponent, so plan-gen rounds; see `planner.engine.DECIMALS`).
"""

from __future__ import annotations

from typing import Any

PLACES = 4


def _number(value: Any) -> Any:
    return round(value, PLACES) if isinstance(value, float) else value


def answer(answers: dict, fact: str) -> Any:
    """The answer a fact names; an unanswered footwear question reads as "not_given"."""
    value: Any = answers
    for part in fact.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None and fact == "posture.footwear":
        return "not_given"
    return _number(value)


def holds(cond: dict, answers: dict) -> bool:
    if "always" in cond:
        return True
    if "all" in cond:
        return all(holds(c, answers) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, answers) for c in cond["any"])
    (op, target), = ((k, v) for k, v in cond.items() if k != "fact")
    value = answer(answers, cond["fact"])
    if value is None and cond["fact"] != "not_asked":
        return False  # an absent optional answer (STarT Back scores) never matches, whatever the operator
    value = [] if value is None else value  # an absent list answer is an empty one
    target = [_number(t) for t in target] if isinstance(target, list) else _number(target)
    return {
        "is": lambda: value == target,
        "is_not": lambda: value != target,
        "at_least": lambda: value >= target,
        "at_most": lambda: value <= target,
        "above": lambda: value > target,
        "below": lambda: value < target,
        "one_of": lambda: value in target,
        "includes": lambda: target in value,
        "excludes": lambda: target not in value,
    }[op]()


def fired(rules: dict, answers: dict) -> list[str]:
    """The ids of the rules (id -> object with `.when`) whose condition holds, sorted."""
    return sorted(rid for rid, rule in rules.items() if holds(rule.when, answers))
