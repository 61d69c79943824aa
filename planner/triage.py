"""Triage alone: does this person get a plan or a referral, and why, without laying out any weeks.

The interview asks it after each warning-sign answer. It runs the same rules
and the same conflict policy (`planner.decide`) as `make_plan`, so the two can
never disagree about a status.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.answers import Answers
from planner.build import shipped_rulebook
from planner.catalogue import Catalogue, shipped_catalogue
from planner.decide import decide
from planner.engine import engine_for
from planner.rules import Rulebook


@dataclass(frozen=True)
class Triage:
    status: str  # "plan", "see_professional" or "urgent_care"
    referral_reasons: tuple[tuple[str, str], ...]  # (rule id, because) of the rules that set the status
    # How soon to be seen, once the rules give one (None until then); a referral page prints it.
    time_frame: str | None = None


def triage(answers: Answers, rulebook: Rulebook | None = None, catalogue: Catalogue | None = None) -> Triage:
    """The status the rules give these answers, with the reasons that led to it."""
    rulebook = rulebook or shipped_rulebook()
    decisions = decide(rulebook, catalogue or shipped_catalogue(), engine_for(rulebook).fired_rules(answers))
    reasons = tuple((rid, rulebook.rules[rid].because) for rid in rulebook.rules if rid in decisions.status_rules)
    return Triage(decisions.status, reasons)
