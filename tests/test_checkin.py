"""Check-ins: each check-in rule as a case (answers + plan + check-in -> decision), the loaders, and properties."""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s

from conftest import EXAMPLES, NO_RED_FLAGS_V2
from planner import resources
from planner.answers import load_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.checkin import check_checkin, check_plan_json, checkin_schema, decide_checkin, load_checkin_rules
from planner.errors import DataError, InvalidInput
from planner.next_block import next_block
from planner.progression import Level, ceilings, next_level, work
from planner.render_json import plan_json
from planner.validation import schema_problems

TODAY = dt.date(2026, 11, 27)
AMOUNTS = ("sets", "reps", "hold_seconds", "minutes")


@cache
def _plan_text(example: str) -> str:
    return plan_json(make_plan(load_answers(EXAMPLES / f"{example}.json"), TODAY))


def first_plan(example: str = "office_worker") -> dict:
    return json.loads(_plan_text(example))


def checkin(**changes) -> dict:
    data = {"checkin_version": 1, "red_flags": dict(NO_RED_FLAGS_V2), "after_week": 2,
            "pain": {"now": 4, "compared": "same"}, "sessions_per_week": [5, 5], "settled_by_morning": True}
    data.update(changes)
    return data


def run(data: dict, plan: dict | None = None, weeks: int = 2):
    plan = plan or first_plan()
    ci = check_checkin(data, "c.json", plan)
    return plan, ci, next_block(plan, ci, weeks, TODAY)


def level_at(plan: dict, ex_id: str, week: int) -> Level:
    row = next(e for e in plan["exercises"] if e["id"] == ex_id)
    w = next(w for w in row["weekly_doses"] if w["week"] == week)
    return Level(w["sets"], w["reps"], w["hold_seconds"], w["minutes"])


def first_level(block, ex_id: str) -> Level:
    c = next(c for c in block.exercises if c.id == ex_id)
    d = c.weekly_doses[0].dose
    return Level(d.sets, d.reps, d.hold_seconds, d.minutes)


def done_by(plan: dict, week: int) -> list[str]:
    return [e["id"] for e in plan["exercises"] if any(w["week"] == week for w in e["weekly_doses"])]


# --- the questionnaire and the loaders ---------------------------------------------------------------------

def test_warning_signs_come_from_the_answers_schema():
    assert checkin_schema()["properties"]["red_flags"] == resources.schema("answers")["properties"]["red_flags"]


def test_every_problem_in_a_checkin_is_reported_at_once():
    bad = checkin(pain={"now": 11, "compared": "fine"})
    with pytest.raises(InvalidInput) as exc:
        check_checkin(bad, "c.json", first_plan())
    text = str(exc.value)
    assert "pain.now" in text and "pain.compared" in text and "c.json" in text


def test_exercise_names_must_be_ones_the_person_has_done():
    bad = checkin(exercises={"hurt": ["Flying"], "too_easy": ["Bridge"]})  # bridge starts in week 3
    with pytest.raises(InvalidInput) as exc:
        check_checkin(bad, "c.json", first_plan())
    text = str(exc.value)
    assert '"Flying" is not an exercise in this plan' in text and '"Bridge" starts after week 2' in text


def test_names_and_ids_both_work_whatever_the_case():
    ci = check_checkin(checkin(exercises={"hurt": ["pelvic TILT"], "too_easy": ["knee_rolls"]}), "c", first_plan())
    assert ci.hurt == ("pelvic_tilt",) and ci.too_easy == ("knee_rolls",)


def test_a_plan_from_another_catalogue_is_refused_with_what_to_do():
    plan = first_plan()
    plan["versions"]["catalogue"] = "0.0.1"
    with pytest.raises(InvalidInput, match="make a new plan from its answers"):
        check_plan_json(plan, "p.json", shipped_rulebook(), shipped_catalogue())


def test_a_plan_from_other_rules_is_refused_but_a_local_rules_edit_is_read():
    plan = first_plan()
    plan["versions"]["rules_digest"] = "sha256:0000000000000000"
    assert check_plan_json(plan, "p.json", shipped_rulebook(), shipped_catalogue()) is plan
    plan["versions"]["rules"] = "0.0.1"
    with pytest.raises(InvalidInput, match="versions.rules"):
        check_plan_json(plan, "p.json", shipped_rulebook(), shipped_catalogue())


def test_a_referral_cannot_be_checked_in_on():
    plan = first_plan("red_flag_urgent")
    with pytest.raises(InvalidInput, match="a referral has no exercises"):
        check_plan_json(plan, "p.json", shipped_rulebook(), shipped_catalogue())


def test_the_plan_json_carries_what_a_checkin_needs():
    plan = first_plan()
    assert plan["answers"]["pain"]["level"] == plan["checkin"]["history"][0]["pain"]
    assert plan["checkin"]["block"] == 0 and plan["checkin"]["first_week"] == 1
    knee = plan["checkin"]["state"]["knee_rolls"]
    assert knee["week"] == plan["settings"]["weeks"] and knee["priority"] >= 1
    assert not schema_problems(plan, resources.schema("plan"), "p")


def test_a_broken_checkin_rule_is_named(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"rules": [{"id": "bad_one", "because": "Because it is so.",
                                                           "when": {"fact": "checkin.pain_now", "at_least": 12},
                                                           "then": [{"next_block": {"doses": "progress"}}]}]}))
    with pytest.raises(DataError, match="rule bad_one: when.*runs from 0 to 10"):
        load_checkin_rules(tmp_path)


# --- one case per check-in rule ----------------------------------------------------------------------------

def test_new_warning_sign_gives_a_referral_with_its_time_frame_and_no_exercises():
    _, _, block = run(checkin(red_flags={**NO_RED_FLAGS_V2, "saddle_numbness": True}, pain={"now": 7,
                                                                                         "compared": "worse"}))
    assert block.status == "urgent_care" and block.triage.time_frame == "now"
    told = block.triage.tell_them
    assert "My back pain is 7 out of 10 on most days now." in told  # the check-in's answer, as now
    assert "That is worse than when I started the plan." in told
    # the first answers only as they were at the start, labelled so: never stated as current
    assert told[-1].startswith("When I started the plan: I was 38 years old. My back pain was 4 out of 10")
    assert not any(s.startswith(("It has lasted", "It began", "I am ")) for s in told)
    assert block.exercises == () and block.weeks == ()
    assert block.followup["changes"][0]["rule"] == "checkin_new_warning_sign"


def test_new_sign_the_first_questionnaire_would_let_pass_still_refers_at_a_checkin():
    _, _, block = run(checkin(red_flags={**NO_RED_FLAGS_V2, "minor_fall": True}))  # age 40: no referral at start
    assert block.status == "see_professional" and block.triage.time_frame == "soon" and block.exercises == ()
    (rule, text), = block.referral_reasons
    assert rule == "checkin_new_warning_sign_check" and "fall" in text
    assert block.triage.written_on == TODAY
    assert "My back pain is 4 out of 10 on most days now." in block.triage.tell_them


def test_new_sign_that_needs_a_check_soon_refers_soon():
    _, _, block = run(checkin(red_flags={**NO_RED_FLAGS_V2, "upper_back_pain": True}))
    assert block.status == "see_professional" and block.triage.time_frame == "soon"


def test_pain_worse_by_two_steps_back_a_weeks_doses_and_slows():
    plan, ci, block = run(checkin(pain={"now": 6, "compared": "worse"}))
    d = decide_checkin(ci, plan)
    assert d.doses == "step_back" and "checkin_pain_worse" in dict(d.reasons)
    assert block.dosing["pace"] == "slow"
    for ex_id in done_by(plan, 2):
        if ex_id in {c.id for c in block.exercises}:
            assert first_level(block, ex_id) == level_at(plan, ex_id, 1), ex_id  # week 1's doses again


def test_discomfort_not_settling_steps_back_and_swaps_what_hurt():
    plan, ci, block = run(checkin(settled_by_morning=False, exercises={"hurt": ["standing_back_bend"]}))
    assert decide_checkin(ci, plan).doses == "step_back"
    ids = {c.id for c in block.exercises}
    assert "standing_back_bend" not in ids
    swap = [c for c in block.followup["changes"] if c["rule"] == "checkin_swapped"]
    assert swap and "Standing back bend hurt" in swap[0]["text"]
    new = (ids - set(done_by(plan, 2))) & {e.id for e in shipped_catalogue().exercises.values()
                                             if e.category == "mobility" and "gentle" in e.tags}
    assert new, "a gentler mobility exercise took its place"


def test_hurting_exercise_with_no_gentler_one_is_removed():
    plan = first_plan()
    plan["ruled_out"] += [{"id": e.id, "rules": ["test"], "until_week": None}
                          for e in shipped_catalogue().exercises.values() if e.category == "stretch"]
    _, _, block = run(checkin(exercises={"hurt": ["hip_flexor_stretch"]}), plan)
    assert "hip_flexor_stretch" not in {c.id for c in block.exercises}
    assert any(c["rule"] == "checkin_removed" for c in block.followup["changes"])


def test_stable_and_most_sessions_done_progresses_one_step():
    plan, ci, block = run(checkin(pain={"now": 4, "compared": "same"}, sessions_per_week=[4, 3]))
    assert decide_checkin(ci, plan).doses == "progress"
    ex = shipped_catalogue().exercises["pelvic_tilt"]
    week2 = level_at(plan, "pelvic_tilt", 2)
    assert first_level(block, "pelvic_tilt") == next_level(ex, week2, ceilings(ex), 1.5, 2) != week2
    assert [w.number for w in block.weeks] == [3, 4]
    assert block.weeks[0].self_check


def test_few_sessions_repeat_the_doses_with_a_simpler_routine_and_tips():
    plan, ci, block = run(checkin(sessions_per_week=[2, 1]))
    d = decide_checkin(ci, plan)
    assert d.doses == "repeat" and d.simpler_routine == 4
    assert all(sum(i.id != "walking" for i in s.items) <= 4 for w in block.weeks for s in w.sessions)
    assert block.notes and any("short session" in t for t in block.notes)
    for c in block.exercises:
        if c.id in done_by(plan, 2):
            assert {w.dose for w in c.weekly_doses} == {c.weekly_doses[0].dose}, c.id  # held
            assert first_level(block, c.id) == level_at(plan, c.id, 2)


def test_too_easy_moves_that_exercise_on_one_step_when_others_hold():
    plan, _, block = run(checkin(sessions_per_week=[2, 2], exercises={"too_easy": ["Pelvic tilt"]}))
    ex = shipped_catalogue().exercises["pelvic_tilt"]
    assert first_level(block, "pelvic_tilt") == next_level(ex, level_at(plan, "pelvic_tilt", 2), ceilings(ex), 1.5, 2)
    assert first_level(block, "knee_rolls") == level_at(plan, "knee_rolls", 2)
    assert any("Pelvic tilt was too easy" in c["text"] for c in block.followup["changes"])


def test_too_easy_holds_when_the_block_steps_back():
    plan, _, block = run(checkin(pain={"now": 7, "compared": "worse"}, exercises={"too_easy": ["pelvic_tilt"]}))
    assert first_level(block, "pelvic_tilt") == level_at(plan, "pelvic_tilt", 2)
    assert any("stays at its level" in c["text"] for c in block.followup["changes"])


def test_too_hard_goes_back_one_step():
    plan, _, block = run(checkin(exercises={"too_hard": ["pelvic_tilt"]}))
    assert first_level(block, "pelvic_tilt") == level_at(plan, "pelvic_tilt", 1)


def test_every_change_carries_its_reason():
    _, _, block = run(checkin(pain={"now": 6, "compared": "worse"}, exercises={"hurt": ["knee_rolls"]}))
    rules = [c["rule"] for c in block.followup["changes"]]
    assert "checkin_pain_worse" in rules and "checkin_exercise_hurt" in rules
    assert all(len(c["text"]) > 20 for c in block.followup["changes"])


# --- properties --------------------------------------------------------------------------------------------

PLAN = first_plan()
DONE = sorted(done_by(PLAN, 2))


@s.composite
def checkins(draw) -> dict:
    names = s.lists(s.sampled_from(DONE), unique=True, max_size=3)
    return checkin(pain={"now": draw(s.integers(0, 10)), "compared": draw(s.sampled_from(["better", "same", "worse"]))},
                   sessions_per_week=draw(s.lists(s.integers(0, 7), min_size=1, max_size=2)),
                   settled_by_morning=draw(s.booleans()),
                   exercises={"hurt": draw(names), "too_hard": draw(names), "too_easy": draw(names)})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(checkins())
def test_a_checkin_never_raises_a_dose_by_more_than_a_weekly_step_nor_below_the_range(data):
    plan, _, block = run(copy.deepcopy(data), copy.deepcopy(PLAN))
    catalogue = shipped_catalogue()
    for c in block.exercises:
        ex = catalogue.exercises[c.id]
        for w in c.weekly_doses:
            for name in AMOUNTS:
                a = ex.dose.amount(name)
                if a is not None:
                    assert a.low <= getattr(w.dose, name) <= a.high, (c.id, name)
        if c.id not in DONE:
            continue
        before, after = level_at(plan, c.id, 2), first_level(block, c.id)
        if work(after, 2) <= work(before, 2):
            continue  # less work: a step back may trade a set for a few more repetitions
        rose = [n for n in AMOUNTS if (getattr(after, n) or 0) > (getattr(before, n) or 0)]
        assert len(rose) <= 1, (c.id, rose)
        for n in rose:
            assert getattr(after, n) - getattr(before, n) <= ex.dose.step[n], (c.id, n)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(checkins(), s.sampled_from(sorted(NO_RED_FLAGS_V2)))
def test_a_new_warning_sign_never_gives_exercises(data, sign):
    data = {**copy.deepcopy(data), "red_flags": {**NO_RED_FLAGS_V2, sign: True}}
    _, _, block = run(data, copy.deepcopy(PLAN))
    assert block.status != "plan" and block.exercises == () and block.weeks == ()
    assert block.triage.time_frame in ("now", "today", "soon")


def test_the_same_checkin_gives_the_same_bytes():
    texts = {plan_json(run(checkin(exercises={"hurt": ["knee_rolls"]}))[2]) for _ in range(2)}
    assert len(texts) == 1


def test_cards_keep_the_reasons_and_count_the_sessions_of_the_block():
    _, _, block = run(checkin())
    knee = next(c for c in block.exercises if c.id == "knee_rolls")
    assert knee.reasons and f"{knee.sessions} " in knee.how_often  # counted in this block, not the first plan
    assert knee.sessions == sum(1 for w in block.weeks for s in w.sessions if any(i.id == "knee_rolls"
                                                                                  for i in s.items))


def test_a_block_left_without_strength_work_becomes_a_referral():
    plan = first_plan()
    strength = [e["id"] for e in plan["exercises"] if e["category"] == "strength" and e["first_week"] <= 2]
    plan["ruled_out"] += [{"id": e.id, "rules": ["test"], "until_week": None}
                          for e in shipped_catalogue().exercises.values() if e.category == "strength"]
    plan["exercises"] = [e for e in plan["exercises"] if e["category"] != "strength" or e["id"] in strength]
    _, _, block = run(checkin(exercises={"hurt": strength}), plan)
    assert block.status == "see_professional" and block.exercises == () and block.triage.time_frame == "soon"
    assert block.referral_reasons[0][0] == "checkin_too_thin"
    # what the referral page tells the clinician: lines of text, the check-in's pain as now (not the answers)
    assert isinstance(block.triage.tell_them, tuple) and any("When I started the plan" in line or "now" in line
                                                            for line in block.triage.tell_them)
