"""plan_json writes a plan's text straight from the model (planner.render_json's direct road); it must give
exactly what json.dumps gives for plan_to_dict, whatever the plan holds and whatever was written before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies
from conftest import EXAMPLES, TODAY
from planner.answers import load_answers
from planner.build import make_plan
from planner.checkin import check_checkin
from planner.model import Dose, Plan, SessionItem, Text
from planner.next_block import next_block
from planner.render_json import plan_json, plan_json_bytes, plan_text, plan_to_dict

PRINTED = {"page_size": "letter", "large_print": True}


def reference(plan: Plan, printed: dict | None = None) -> str:
    """The text the plan JSON must be: the standard library's own, for the plan as data."""
    return json.dumps(plan_to_dict(plan, printed), indent=2, sort_keys=True, ensure_ascii=False)


def example_plans() -> dict[str, Plan]:
    return {path.stem: make_plan(load_answers(path), TODAY) for path in sorted(EXAMPLES.glob("*.json"))}


EXAMPLE_PLANS = example_plans()


@pytest.mark.parametrize("name", sorted(EXAMPLE_PLANS))
@pytest.mark.parametrize("printed", [None, PRINTED])
def test_every_example_is_written_as_json_dumps_writes_it(name, printed):
    plan = EXAMPLE_PLANS[name]
    assert plan_text(plan, printed) == reference(plan, printed) + "\n"  # the direct road itself, no fallback
    assert plan_json(plan, printed) == reference(plan, printed) + "\n"
    assert plan_json_bytes(plan, printed) == (reference(plan, printed) + "\n").encode("utf-8")


def test_a_checkin_plan_with_its_history_is_written_as_json_dumps_writes_it():
    first = json.loads(plan_json(EXAMPLE_PLANS["office_worker"]))
    data = {"checkin_version": 1, "red_flags": {}, "after_week": 2, "pain": {"now": 4, "compared": "same"},
            "sessions_per_week": [5, 5], "settled_by_morning": True,
            "activities": [{"activity": "Gärtnern \"oben\"", "rating": 3}]}
    data["red_flags"] = {k: False for k in first["answers"]["red_flags"]}
    plan = next_block(first, check_checkin(data, "c.json", first), 2, TODAY)
    assert plan.followup["history"]
    assert plan_text(plan, PRINTED) == reference(plan, PRINTED) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=strategies.answers(red_flag=strategies.RARE_FLAG))
def test_generated_plans_are_written_as_json_dumps_writes_them(answers):
    plan = make_plan(answers, TODAY)
    assert plan_text(plan) == reference(plan) + "\n"


# Text a template could trip on: quotes, backslashes, control characters (NUL separates values inside the
# writer), format directives, every plane of Unicode.
ODD = st.text(st.characters(exclude_categories=()), max_size=8) | st.sampled_from(["%s", "%", "\0", "\"", "},\n{"])
NUMBER = st.integers(-3, 3) | st.booleans() | st.none() | st.integers(-2**70, 2**70)


@st.composite
def odd_plans(draw) -> Plan:
    """An example plan with its words and numbers replaced by odd ones, in every kind of record."""
    base = EXAMPLE_PLANS[draw(st.sampled_from(sorted(EXAMPLE_PLANS)))]
    words = st.lists(ODD, max_size=3).map(tuple)

    def dose() -> Dose:
        return Dose(draw(NUMBER), draw(NUMBER), draw(NUMBER), draw(st.booleans() | st.integers(0, 1)), draw(NUMBER))

    def text() -> Text:
        return Text(draw(ODD), draw(ODD), draw(ODD), draw(words))

    weeks = tuple(dataclasses.replace(
        w, phase=draw(ODD), self_check=draw(NUMBER),
        sessions=tuple(dataclasses.replace(s, routine=draw(ODD), estimated_minutes=draw(NUMBER),
                                           items=tuple(SessionItem(draw(ODD), dose()) for _ in s.items[:2]))
                       for s in w.sessions[:3])) for w in base.weeks[:2])
    exercises = tuple(dataclasses.replace(
        c, name=draw(ODD), rules=draw(words), progression=draw(st.none() | ODD), first_week=draw(NUMBER),
        weekly_doses=tuple(dataclasses.replace(w, dose=dose(), keep=draw(NUMBER)) for w in c.weekly_doses[:2]))
        for c in base.exercises[:3])
    pairs = st.lists(st.tuples(ODD, ODD), max_size=3).map(tuple)
    return dataclasses.replace(
        base, name=draw(st.none() | ODD), status=draw(ODD), weeks=weeks, exercises=exercises,
        cautions=tuple(text() for _ in base.cautions[:2]), advice=tuple(text() for _ in base.advice[:2]),
        reasons=draw(pairs), referral_reasons=draw(pairs), left_out=draw(pairs), notes=draw(words),
        ruled_out=tuple(dataclasses.replace(r, rules=draw(words), until_week=draw(NUMBER)) for r in base.ruled_out[:2]),
        pain_rule=draw(st.none() | st.builds(Text, ODD, ODD, ODD, words)),
        versions={draw(ODD): draw(ODD | NUMBER)})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=odd_plans())
def test_odd_words_and_numbers_are_written_as_json_dumps_writes_them(plan):
    assert plan_text(plan) == reference(plan) + "\n"  # the direct road itself: plain values never need the general one
    assert utf8(plan_json_bytes, plan) == utf8(lambda p: (reference(p) + "\n").encode("utf-8"), plan)


def utf8(write, plan: Plan) -> bytes | str:
    """The bytes `write` gives for `plan`, or the error's name for text UTF-8 cannot hold (a lone surrogate:
    the answers' checks refuse one, so no plan from a file holds one)."""
    try:
        return write(plan)
    except UnicodeEncodeError:
        return "UnicodeEncodeError"


@pytest.mark.parametrize("name", ["Ana Souza", "Zoë", "Łukasz Nowak", "Ελένη Π.", "Иван Петров", "🙂 Sam"])
def test_the_utf8_bytes_are_the_texts_whatever_the_name(name):
    """plan_json_bytes encodes the text piece by piece: the pieces around a wide name stay narrow."""
    plan = dataclasses.replace(EXAMPLE_PLANS["office_worker"], name=name,
                               answers={**EXAMPLE_PLANS["office_worker"].answers, "name": name})
    assert plan_json_bytes(plan, PRINTED) == (reference(plan, PRINTED) + "\n").encode("utf-8")


class Level(enum.IntEnum):
    ONE = 1


class Word(str):
    pass


@pytest.mark.parametrize("odd", [Level.ONE, Word("a\"b")])
def test_a_subclass_of_a_plain_type_is_written_by_the_general_road(odd):
    """An IntEnum or a str subclass where the model holds a number or a text: the direct road refuses it
    (TypeError) and plan_json writes it by the general road, as json.dumps does."""
    plan = EXAMPLE_PLANS["office_worker"]
    week = dataclasses.replace(plan.weeks[0], number=odd)
    odd_plan = dataclasses.replace(plan, weeks=(week, *plan.weeks[1:]))
    with pytest.raises(TypeError):
        plan_text(odd_plan)
    assert plan_json(odd_plan) == reference(odd_plan) + "\n"
    assert plan_json_bytes(odd_plan) == (reference(odd_plan) + "\n").encode("utf-8")


def test_a_value_json_cannot_write_is_refused_as_json_dumps_refuses_it():
    plan = dataclasses.replace(EXAMPLE_PLANS["minimal"], name=object())
    with pytest.raises(TypeError, match="not JSON serializable"):
        plan_json(plan)
    with pytest.raises(ValueError, match="Out of range float"):
        plan_json(dataclasses.replace(EXAMPLE_PLANS["minimal"], name=float("nan")))


def test_a_plan_is_the_same_text_whatever_was_written_before():
    """Templates and day names are kept per process: A, then every other example (other dates, the same
    exercises at other doses), then A again; and one plan's dates as datetimes, which print otherwise."""
    names = sorted(EXAMPLE_PLANS)
    first = {name: plan_json(EXAMPLE_PLANS[name]) for name in names}
    for name in reversed(names):
        assert plan_json(EXAMPLE_PLANS[name]) == first[name]
    plan = EXAMPLE_PLANS["office_worker"]
    for zone in (dt.UTC, dt.timezone(dt.timedelta(hours=1))):  # the same instants, written otherwise
        at = dt.datetime.combine(plan.start_date, dt.time(12), dt.UTC).astimezone(zone)
        week = dataclasses.replace(plan.weeks[0], sessions=tuple(
            dataclasses.replace(s, date=at + (s.date - plan.start_date)) for s in plan.weeks[0].sessions))
        moved = dataclasses.replace(plan, weeks=(week, *plan.weeks[1:]))
        assert plan_json(moved) == reference(moved) + "\n"
    assert plan_json(plan) == first["office_worker"]


def with_doses(plan: Plan, change) -> Plan:
    """`plan` with every session item's and weekly dose's Dose passed through `change`."""
    weeks = tuple(dataclasses.replace(w, sessions=tuple(dataclasses.replace(s, items=tuple(
        dataclasses.replace(i, dose=change(i.dose)) for i in s.items)) for s in w.sessions)) for w in plan.weeks)
    exercises = tuple(dataclasses.replace(c, weekly_doses=tuple(
        dataclasses.replace(w, dose=change(w.dose)) for w in c.weekly_doses)) for c in plan.exercises)
    return dataclasses.replace(plan, weeks=weeks, exercises=exercises)


@pytest.mark.parametrize("first, then", [(True, 1), (1, True), (0.0, -0.0), (-0.0, 0.0), (2, 2.0)])
def test_equal_values_of_other_types_never_share_a_kept_text(first, then):
    """Item lists and weekly doses are kept by content across plans. 1 == True == 1.0 and 0.0 == -0.0 as
    keys, yet json.dumps writes each its own way: a plan written after another with the equal values must
    still read as its own."""
    plan = EXAMPLE_PLANS["office_worker"]
    for value in (first, then):
        odd = with_doses(plan, lambda d: dataclasses.replace(d, sets=value, per_side=value))  # noqa: B023
        assert plan_json(odd) == reference(odd) + "\n"


@pytest.mark.parametrize("first, then", [(True, 1), (1, True), (0.0, -0.0), (2, 2.0)])
def test_equal_values_in_catalogue_records_and_weeks_never_share_a_kept_text(first, then):
    """Each caution, reason, ruled-out exercise, ... is kept by content across plans: the same guard (and
    a week's values, written beside kept item texts, are never taken for another's)."""
    plan = EXAMPLE_PLANS["office_worker"]
    assert plan.ruled_out and plan.phases
    for value in (first, then):
        weeks = tuple(dataclasses.replace(w, self_check=value, sessions=tuple(
            dataclasses.replace(s, estimated_minutes=value) for s in w.sessions)) for w in plan.weeks)
        odd = dataclasses.replace(
            plan, ruled_out=tuple(dataclasses.replace(r, until_week=value) for r in plan.ruled_out),
            phases=tuple(dataclasses.replace(p, starts_week=value) for p in plan.phases), weeks=weeks)
        assert plan_json(odd) == reference(odd) + "\n"
