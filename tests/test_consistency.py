"""A plan read alone must not contradict itself: its fixed texts against its pace, its walk and `explain`.

A QA reader found a slow-pace cover saying doses "rise only every second week" beside a phase table saying
they rise "a step a week", and a walk card of 5 minutes every week whose reason promised "a daily walk that
grows a little each week". These tests hold the texts to what each plan does.
"""

from __future__ import annotations

import re

import pytest

from conftest import TODAY, example_paths
from planner.answers import load_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.data_source import DataSource
from planner.explain import explain

# Words that say how fast or how high doses go. Phases are shared by every pace and ceiling (a slow pace only
# moves their weeks), so a phase's text may say what the phase is for, never how doses move.
PACE_WORDS = {"dose", "doses", "rise", "rises", "rising", "week", "weeks", "step", "steps", "top"}
WEEKLY_RISE = re.compile(r"\b(each|every|a) week\b(?! or)", re.IGNORECASE)  # "every second week" does not match
TO_THE_TOP = re.compile(r"\b(toward|towards|reach|reaches|to) the top\b", re.IGNORECASE)
GROWTH = re.compile(r"\b(grow|grows|growing|rise|rises|rising|longer|add)\b", re.IGNORECASE)
DAILY = re.compile(r"\b(daily|every day|each day)\b", re.IGNORECASE)


def plans() -> list:
    return [(p.name, make_plan(load_answers(p), TODAY)) for p in example_paths()]


def plan_texts(plan) -> list[str]:
    """The texts on a plan's cover: what shaped it, and each phase's line in the phase table."""
    return [*plan.focus, *(p.about for p in plan.phases)]


def test_phase_texts_say_nothing_of_pace():
    for phase in shipped_rulebook().phases:
        said = PACE_WORDS & set(re.findall(r"[a-z]+", phase.about.lower()))
        assert not said, f"phase {phase.id} speaks of pace ({', '.join(sorted(said))}): {phase.about}"


def test_the_examples_cover_both_paces_and_ceilings():
    seen = {(plan.dosing["pace"], plan.dosing["ceiling"]) for _, plan in plans() if plan.status == "plan"}
    assert {("slow", "below_top"), ("slow", "top"), ("normal", "top")} <= seen


@pytest.mark.parametrize(("name", "plan"), plans(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_cover_never_contradicts_its_pace(name, plan):
    if plan.status != "plan":
        return
    texts = plan_texts(plan)
    if plan.dosing["pace"] == "slow":
        assert not [t for t in texts if WEEKLY_RISE.search(t)], f"{name}: a slow plan's cover promises weekly rises"
    if plan.dosing["ceiling"] == "below_top":
        assert not [t for t in texts if TO_THE_TOP.search(t)], f"{name}: a below-top plan's cover promises the top"


def walk_texts(plan) -> tuple[object, list[str]]:
    walk = next(c for c in plan.exercises if c.id == "walking")
    ex = shipped_catalogue().exercises["walking"]
    return walk, [*walk.reasons, ex.aim, *ex.steps]


@pytest.mark.parametrize(("name", "plan"), plans(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_walk_card_says_what_the_sessions_do(name, plan):
    if plan.status != "plan":
        return
    walk, texts = walk_texts(plan)
    # The walk is part of the sessions (3 to 7 days a week), so no text on its card calls it daily.
    assert not [t for t in texts if DAILY.search(t)], f"{name}: {walk.how_often} but a text says daily"
    minutes = [w.dose.minutes for w in walk.weekly_doses]
    if len(set(minutes)) == 1:  # held at one length (the time asked for is full): no text may promise growth
        promised = [t for t in walk.reasons if GROWTH.search(t)]
        assert not promised, f"{name}: the walk stays at {minutes[0]} minutes, yet: {promised}"


def test_some_example_walk_never_grows():
    """The case the texts above must survive: the older adult's 15-minute sessions are full, so each week's
    rise of the walk is held back first (planner/sessions.py) and it stays at 5 minutes."""
    held = [name for name, plan in plans() if plan.status == "plan"
            and len({w.dose.minutes for w in walk_texts(plan)[0].weekly_doses}) == 1]
    assert "older_adult_no_floor.json" in held


def test_explain_says_rising_only_where_a_dose_rose():
    path = next(p for p in example_paths() if p.name == "older_adult_no_floor.json")
    text = explain(load_answers(path), TODAY, DataSource())
    walk = next(line for line in text.splitlines() if line.startswith("  walking:"))
    assert "dose 5 minutes, the same every week (" in walk
    for line in text.splitlines():
        found = re.search(r"dose (.+?) rising to (.+?) \(", line)
        assert not found or found.group(1) != found.group(2), line
    assert "rising to" in text  # the doses that did rise still say so
