"""What a card says in words: its reason once, and no rise it does not give.

Checked on every example and on 200 random people (tests/strategies.py), from the plan model with the very
functions the PDF prints with (planner/pdf/cards.py); test_handout.py ties those texts to the PDF.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

import strategies
from conftest import EXAMPLES, TODAY
from planner.answers import load_answers
from planner.build import make_plan
from planner.pdf.cards import why_text

PLANS = {p.stem: make_plan(load_answers(p), TODAY) for p in sorted(EXAMPLES.glob("*.json"))}
PHRASE = 6  # words: a phrase this long printed twice in one card's reason reads as said twice


def repeats(text: str) -> list[str]:
    """Sentences, and phrases of PHRASE words or more, that `text` says twice (case and punctuation aside)."""
    sentences = [" ".join(re.findall(r"[\w']+", s.casefold())) for s in re.split(r"(?<=[.!?])\s+", text)]
    out = sorted({s for s in sentences if s and sentences.count(s) > 1})
    words = re.findall(r"[\w']+", text.casefold())
    seen: set[tuple[str, ...]] = set()
    for i in range(len(words) - PHRASE + 1):
        phrase = tuple(words[i:i + PHRASE])
        if phrase in seen:
            out.append(" ".join(phrase))
        seen.add(phrase)
    return out


def card_repeats(plan) -> dict[str, list[str]]:
    return {c.id: found for c in plan.exercises if (found := repeats(why_text(c.reasons)))}


def test_the_check_finds_a_phrase_said_twice():
    """The standing back bend for a person worse bending forward and sitting, as both rules' texts were."""
    old = ("Bending forward makes your pain worse. So the plan leaves out moves that round the lower back and adds "
           "a gentle back bend. Sitting makes your pain worse. So the plan leaves out moves done sitting and moves "
           "that round the lower back. It adds a gentle back bend.")
    assert "moves that round the lower back" in " ".join(repeats(old))
    assert repeats("Walk daily. Rest well. Walk daily.") == ["walk daily"]


def test_no_card_of_an_example_says_a_sentence_or_phrase_twice_in_its_reason():
    shared = [c for plan in PLANS.values() for c in plan.exercises if len(c.reasons) > 1]
    assert any({"worse_bending_forward", "worse_sitting"} <= set(c.rules) for c in shared)  # the case reported
    assert {name: found for name, plan in PLANS.items() if (found := card_repeats(plan))} == {}


def test_a_reason_two_rules_share_is_printed_once():
    back_bend = next(c for c in PLANS["acute_high_pain"].exercises if c.id == "standing_back_bend")
    text = why_text(back_bend.reasons)
    assert text.count("So the plan leaves out moves that round the lower back.") == 1
    assert text.startswith("Bending forward makes your pain worse.") and "Sitting makes your pain worse." in text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=strategies.answers(red_flag=strategies.RARE_FLAG))
def test_no_card_of_a_random_person_says_a_sentence_or_phrase_twice_in_its_reason(answers):
    assert card_repeats(make_plan(answers, TODAY)) == {}
