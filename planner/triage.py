"""Triage details for the plan model: the time frame, the clearances relied on, unasked questions.

The rules decide (rules/10_triage.json implements docs/triage.md); this module
only reads the fired rules' `referral` and `relies_on_clearance` actions and
the answers, so a clinician changes triage by editing rule files. Conflicts do
not depend on firing order: the most urgent time frame wins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from planner import resources
from planner.answers import Answers
from planner.catalogue import Catalogue, shipped_catalogue
from planner.decide import decide
from planner.engine import engine_for
from planner.model import Text, Triage
from planner.rules import Rulebook
from planner.vocabulary import COURSE, TIME_FRAMES

NOT_ASKED_CAUTION = "questions_not_asked"


def _actions(rulebook: Rulebook, fired: list[str], name: str) -> list:
    return [action[name] for rid in sorted(fired) for action in rulebook.rules[rid].then if name in action]


def start_back_group(answers: Answers) -> str | None:
    """The Keele STarT Back group from its two scores: psychosocial 4-5 high; else total 4-9 medium; else low."""
    scores = answers.get("start_back")
    if not scores:
        return None
    if scores["psychosocial"] >= 4:
        return "high"
    return "medium" if scores["total"] >= 4 else "low"


def question_titles(names: list[str]) -> tuple[str, ...]:
    """The questionnaire's own titles for unasked questions, in the order the interview asks them."""
    if not names:  # every plan from a version 2 file: nothing to look up
        return ()
    props = resources.shared_schema("answers")["properties"]  # parsed once: a copy a plan was a twelfth of it
    order = [("red_flags", n) for n in props["red_flags"]["properties"]] + [("course", n) for n in COURSE]
    return tuple(props[part]["properties"][n]["title"] for part, n in order if n in names)


# The facts `tell_them` reads, each as "I have not said ..." words for when it was never asked.
TOLD = {"age": "my age", "pain.level": "how bad the pain is", "pain.duration_weeks": "how long I have had it",
        "pain.below_knee": "if it goes below my knee", "pain.worse_with": "what makes it worse"}


def _said(answers: Answers, fact: str) -> object:
    part, _, name = fact.partition(".")
    return answers[part][name] if name else answers[part]


def _sentences(answers: Answers, facts: list[str], past: bool) -> list[str]:
    """The facts as first-person sentences: now (`past` False) or as they were when a plan started."""
    out = []
    for fact in facts:
        value = _said(answers, fact)
        if fact == "age":
            out.append(f"I {'was' if past else 'am'} {value} years old.")
        elif fact == "pain.level":
            out.append(f"My back pain {'was' if past else 'is'} {value} out of 10 on most days.")
        elif fact == "pain.duration_weeks":
            out.append(("It had begun that week." if past else "It began this week.") if value == 0 else
                       f"It {'had' if past else 'has'} lasted {value} week{'s' if value != 1 else ''}.")
        elif fact == "pain.below_knee":
            out.append(f"Pain, numbness or tingling {'went' if past else 'goes'} below my knee." if value else
                       f"It {'did' if past else 'does'} not go below my knee.")
        elif value:  # what makes it worse; nothing named says nothing
            out.append(f"It {'got' if past else 'gets'} worse with "
                       + ", ".join(w.replace("_", " ") for w in value) + ".")
    return out


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def tell_them(answers: Answers, unasked: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The answers a clinician asks first, as plain sentences the reader can show or say.

    `unasked` names facts (keys of TOLD) the person never gave: an interview that stopped at a warning sign
    triages placeholders for them, and a placeholder read out to emergency staff would be a false fact. They
    are left out, and one sentence says what was not asked."""
    out = _sentences(answers, [f for f in TOLD if f not in unasked], past=False)
    missing = [TOLD[f] for f in TOLD if f in unasked]
    if missing:
        out.append(f"The questions stopped at the warning sign. So I have not said {_listed(missing)}.")
    return tuple(out)


def tell_them_at_checkin(start: Answers, pain: dict | None) -> tuple[str, ...]:
    """What to tell a clinician when a check-in gives a referral: the check-in's own pain answers as now
    (`pain`: its `now` and `compared`; None when the check-in stopped before asking them), and the first
    answers only as they were at the start, labelled so, since weeks of a plan have passed since then."""
    out = ["I have been doing a home exercise plan for my back."]
    if pain is None:
        out.append("The questions stopped at the warning sign. So I have not said how my pain is now.")
    else:
        out.append(f"My back pain is {pain['now']} out of 10 on most days now.")
        out.append({"better": "That is better than when I started the plan.",
                    "same": "That is the same as when I started the plan.",
                    "worse": "That is worse than when I started the plan."}[pain["compared"]])
    return (*out, "When I started the plan: " + " ".join(_sentences(start, list(TOLD), past=True)))


def assess(rulebook: Rulebook, fired: list[str], answers: Answers, status: str, today: dt.date) -> Triage:
    refs = _actions(rulebook, fired, "referral")
    referral = status != "plan"
    return Triage(
        time_frame=min((r["time_frame"] for r in refs), key=TIME_FRAMES.index) if referral and refs else None,
        clearable=referral and bool(refs) and all(r.get("clearable", False) for r in refs),
        cleared_for=() if referral else tuple(sorted(set(_actions(rulebook, fired, "relies_on_clearance")))),
        not_asked=question_titles(answers.get("not_asked", [])),
        start_back_group=start_back_group(answers),
        tell_them=tell_them(answers) if referral else (),
        written_on=today if referral else None,  # a plan's bytes must not change with the day it is rerun
    )


def name_unasked(cautions: tuple[Text, ...], triage: Triage) -> tuple[Text, ...]:
    """The 'questions not asked' caution with the questions themselves named, never left implied."""
    if not triage.not_asked:
        return cautions
    listed = " Not asked: " + "; ".join(triage.not_asked) + "."
    return tuple(replace(c, text=c.text + listed) if c.id == NOT_ASKED_CAUTION else c for c in cautions)


@dataclass(frozen=True)
class Status:
    """Triage alone: a plan or a referral, why, and how soon, without laying out any weeks."""

    status: str  # "plan", "see_professional" or "urgent_care"
    referral_reasons: tuple[tuple[str, str], ...]  # (rule id, because) of the rules that set the status
    triage: Triage


def triage(answers: Answers, rulebook: Rulebook | None = None, catalogue: Catalogue | None = None,
           today: dt.date | None = None) -> Status:
    """The status the rules give these answers, with its reasons and time frame.

    The interview asks it after each warning-sign answer. It runs the same rules and the same conflict
    policy (`planner.decide`) as `make_plan`, so the two can never disagree about a status.
    """
    from planner.build import shipped_rulebook  # build uses `assess` above: import it only when called

    rulebook = rulebook or shipped_rulebook()
    fired = engine_for(rulebook).fired_rules(answers)
    decisions = decide(rulebook, catalogue or shipped_catalogue(), fired)
    reasons = tuple((rid, rulebook.rules[rid].because) for rid in rulebook.rules if rid in decisions.status_rules)
    return Status(decisions.status, reasons if decisions.status != "plan" else (),
                  assess(rulebook, fired, answers, decisions.status, today or dt.date.today()))
