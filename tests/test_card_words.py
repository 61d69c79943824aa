"""What a card says in words: its reason once, and no rise it does not give.

Checked on every example and on 200 random people (tests/strategies.py), from the plan model with the very
functions the PDF prints with (planner/pdf/cards.py); test_handout.py ties those texts to the PDF.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re

from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

import strategies
from conftest import EXAMPLES, TODAY
from planner.answers import load_answers
from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.pdf.cards import why_text
from planner.pdf.plan_pages import focus_intro, rises, sentences_once
from planner.pdf.render import render_pdf

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
    plan = make_plan(answers, TODAY)
    assert card_repeats(plan) == {} and cover_repeats(plan) == []


# A sentence that says doses rise, with nothing that makes it a limit or a condition ('at most', 'if', ...).
RISE = re.compile(r"\b(rise|rises|go up|goes up|grow|grows|build|builds)\b", re.IGNORECASE)
HEDGE = re.compile(r"\b(may|at most|any|if|when|until|no)\b", re.IGNORECASE)


def promised(text: str) -> list[str]:
    """The sentences of `text` that promise a rise."""
    return [s for s in re.split(r"(?<=[.!?:])\s+", text) if RISE.search(s) and not HEDGE.search(s)]


def at_top(ex_id: str, dose) -> bool:
    """Every amount but the sets at the top of the catalogue's range (the 60 s a checkpoint asks about)."""
    ex = shipped_catalogue().exercises[ex_id]
    amounts = [(name, a.high) for name in ("reps", "hold_seconds", "minutes") if (a := ex.dose.amount(name))]
    return all(getattr(dose, name) == high for name, high in amounts)


def broken_promises(plan) -> list[str]:
    """What the cover and the cards say will rise that the plan's weeks do not raise: a card's reason or
    checkpoint for an exercise whose dose never changes, a checkpoint ('Can you hold 60 seconds ...?') for a
    dose the plan never takes to its top, the cover's 'builds strength' with no strength dose rising, and
    any other rise the cover promises while some dose stays the same all plan long."""
    out = []
    for c in plan.exercises:
        if not rises(c):
            out += [f"{c.id}: {s}" for s in promised(why_text(c.reasons) + " " + (c.progression or ""))]
        if c.progression and not (rises(c) and any(at_top(c.id, w.dose) for w in c.weekly_doses)):
            out.append(f"{c.id}: 'Later on' though its dose never reaches the top: {c.weekly_doses[-1].dose}")
    rising = [c for c in plan.exercises if rises(c)]
    for s in promised(" ".join([focus_intro(plan), *plan.focus, *plan.notes])):
        strength = "strength" in s.lower() and any(c.category == "strength" for c in rising)
        if not strength and len(rising) < len(plan.exercises):
            out.append(f"cover: {s}")
    return out


def test_the_check_finds_a_promise_the_plan_does_not_keep():
    older = PLANS["older_adult_no_floor"]
    assert not rises(next(c for c in older.exercises if c.id == "walking"))  # 5 minutes every week
    assert promised("You are 65 or over. So doses start at the low end and rise every second week.")
    assert not promised("You are 65 or over. So doses start at the low end and go up at most every second week.")
    assert broken_promises(dataclasses.replace(older, focus=(*older.focus, "Doses rise every second week.")))


def test_no_example_promises_a_rise_its_weeks_do_not_give():
    assert {name: found for name, plan in PLANS.items() if plan.status == "plan"
            and (found := broken_promises(plan))} == {}


def test_the_checkpoint_shows_only_where_the_plan_reaches_the_top():
    """The warehouse worker's plank stays at 15 s (the 30 minutes are full), so 'Can you hold 60 seconds ...?'
    asks of a dose the plan never gives; a 16-week plan with time to spare takes the plank to 60 s."""
    plank = next(c for c in PLANS["warehouse_worker"].exercises if c.id == "plank")
    assert plank.progression is None
    long = copy.deepcopy(load_answers(EXAMPLES / "warehouse_worker.json"))
    long["plan"].update(weeks=16, minutes_per_session=60)
    plank = next(c for c in make_plan(long, TODAY).exercises if c.id == "plank")
    assert 60 in [w.dose.hold_seconds for w in plank.weekly_doses] and "60 seconds" in (plank.progression or "")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=strategies.answers(red_flag=strategies.RARE_FLAG))
def test_no_random_plan_promises_a_rise_its_weeks_do_not_give(answers):
    plan = make_plan(answers, TODAY)
    assert plan.status != "plan" or broken_promises(plan) == []


def said_twice(texts) -> list[str]:
    """Whole sentences, each text's first aside, that `texts` say more than once (case and punctuation aside)."""
    sentences = [" ".join(re.findall(r"[\w']+", s.casefold()))
                 for text in texts for s in re.split(r"(?<=[.!?])\s+", text)[1:]]
    return sorted({s for s in sentences if s and sentences.count(s) > 1})


def cover_repeats(plan) -> list[str]:
    """The cover's list of reasons as printed: a sentence said twice. Each point is one rule's and stands
    alone, so it keeps its first sentence ('You are 65 or over.' leads two), and a phrase such as 'the plan
    leaves out moves that' may start a sentence in two points."""
    points = sentences_once(plan.focus, keep_leads=True)
    assert all(reason.startswith(re.split(r"(?<=[.!?])\s+", point)[0])
               for point, reason in zip(points, plan.focus, strict=True))
    return said_twice(points)


def test_the_cover_says_a_sentence_two_rules_share_once():
    """The older adult's cover listed 'So the plan leaves out moves that arch the lower back.' under worse
    standing and again under worse walking."""
    older = PLANS["older_adult_no_floor"]
    assert said_twice(older.focus)  # the rules' own texts do share it
    assert {name: found for name, plan in PLANS.items() if (found := cover_repeats(plan))} == {}
    assert "You are 65 or over. So doses start at the low end" in " ".join(sentences_once(older.focus, True))
    walking = next(p for p in sentences_once(older.focus, True) if p.startswith("Walking makes your pain worse."))
    assert walking == ("Walking makes your pain worse. Your walks start short. "
                       "Rest by sitting or leaning forward when you need to.")
    cover = PdfReader(io.BytesIO(render_pdf(older, shipped_catalogue())[0])).pages[0].extract_text()
    cover = " ".join(cover.split())
    assert cover.count("leaves out moves that arch the lower back") == 1 and walking in cover
