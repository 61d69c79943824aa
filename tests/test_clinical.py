"""Plans a physiotherapist would sign (issue 11): progression, whole sessions, direction, pain, time.

Property tests run over random valid answers (hypothesis); the named cases are the
ones a clinician tried by hand. Each property reads the plan model, not the PDF.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, REPO, TODAY, add_rule, answers_with
from planner.answers import check_answers
from planner.build import THIN_PLAN_RULE, make_plan, shipped_rulebook
from planner.catalogue import load_catalogue, shipped_catalogue
from planner.model import Plan
from planner.pdf import wording as W
from planner.progression import work
from planner.rules import load_rulebook
from planner.sessions import Level
from strategies import answers as valid_answers

CAT = shipped_catalogue()
# Plan-bound answers (no warning sign), from the one generator in tests/strategies.py.
answers_strategy = valid_answers(red_flag=st.just(False))
RATIO = shipped_rulebook().settings["progression"]["max_weekly_work_ratio"]
PER_REP = shipped_rulebook().settings["timing"]["seconds_per_rep"]
SHARE = shipped_rulebook().settings["progression"]["below_top_work_share"]
FLEXION_WORSE = {"bending_forward", "sitting"}
EXTENSION_WORSE = {"standing", "bending_backward", "walking"}
AMOUNTS = ("sets", "reps", "hold_seconds", "minutes")


def plan_for(**changes) -> Plan:
    return make_plan(check_answers(answers_with(**changes), "x.json"), TODAY)


def level(dose) -> Level:
    return Level(dose.sets, dose.reps, dose.hold_seconds, dose.minutes)


def final_week_work(plan: Plan) -> int:
    """The strength work of the last week (the load on the back): every session, every exercise, both sides.

    Stretch holds and the graded walk are left out: they fill the time the strength work leaves, so a
    lighter plan holds its stretches and walks a little longer."""
    return sum(work(level(i.dose), PER_REP) * (2 if i.dose.per_side else 1)
               for s in plan.weeks[-1].sessions for i in s.items if CAT.exercises[i.id].category == "strength")


# --- properties over random answers ---------------------------------------------------------------

wide = answers_strategy.map(lambda raw: {**raw, "plan": {**raw["plan"]}})


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide)
def test_plans_a_physiotherapist_would_sign(raw):
    answers = check_answers(raw, "h.json")
    plan = make_plan(answers, TODAY)
    if plan.status != "plan":
        assert plan.weeks == () and plan.exercises == ()
        return
    worse = set(answers["pain"]["worse_with"])
    ceiling = plan.dosing["ceiling"]
    strength = [c for c in plan.exercises if c.category == "strength"]
    assert strength, "a plan holds at least one strengthening exercise"

    # 1. Progression: one amount up a week, never sets and reps together, work at most 1.5x week to week.
    for c in plan.exercises:
        ex = CAT.exercises[c.id]
        for before, after in zip(c.weekly_doses, c.weekly_doses[1:], strict=False):
            if after.week != before.week + 1:
                continue
            up = [a for a in AMOUNTS if (getattr(after.dose, a) or 0) > (getattr(before.dose, a) or 0)]
            assert len(up) <= 1, (c.id, before, after)
            assert work(level(after.dose), PER_REP) <= RATIO * work(level(before.dose), PER_REP) + 1e-9, (c.id, after)
        top = Level(*(a.high if (a := ex.dose.amount(n)) else None for n in AMOUNTS))
        for wd in c.weekly_doses:  # 6. inside the range, and under a lower ceiling half the top's work at most
            for a in AMOUNTS:
                value, amount = getattr(wd.dose, a), ex.dose.amount(a)
                assert (value is None) == (amount is None)
                if amount is not None:
                    assert amount.low <= value <= amount.high, (c.id, a, value)
            if ceiling == "below_top":
                bottom = Level(*(a.low if (a := ex.dose.amount(n)) else None for n in AMOUNTS))
                assert work(level(wd.dose), PER_REP) <= max(SHARE * work(top, PER_REP), work(bottom, PER_REP))

    # 2. Whole sessions: a mobility warm-up first, three exercises or more, stable routines within a week.
    minimum = shipped_rulebook().settings["sessions"]["min_exercises"]
    for week in plan.weeks:
        by_routine: dict[str, tuple] = {}
        for s in week.sessions:
            assert CAT.exercises[s.items[0].id].category == "mobility", (week.number, s.items[0].id)
            assert len(s.items) >= minimum
            assert by_routine.setdefault(s.routine, s.items) == s.items, "one routine, one list in a week"
            # 3. Directional preference holds in every week.
            for item in s.items:
                tags = CAT.exercises[item.id].tags
                if worse & FLEXION_WORSE:
                    assert "flexion_bias" not in tags, item.id
                if "sitting" in worse:
                    assert "seated" not in tags, item.id
                if worse & EXTENSION_WORSE:
                    assert "extension_bias" not in tags, item.id

    # 3b. ... and the plan keeps a gentle exercise in the other direction or neutral.
    if worse & (FLEXION_WORSE | EXTENSION_WORSE):
        assert any("gentle" in CAT.exercises[c.id].tags for c in plan.exercises)

    # 7. Each card's 'How often' is counted from the schedule.
    for c in plan.exercises:
        count = sum(1 for w in plan.weeks for s in w.sessions if any(i.id == c.id for i in s.items))
        assert c.sessions == count and str(count) in c.how_often, c.id

    # 6. From the second phase on, sessions fill 70% of the time asked for, or the cover says so.
    asked = answers["plan"]["minutes_per_session"]
    second = plan.phases[1].starts_week if len(plan.phases) > 1 else len(plan.weeks) + 1
    short = any(s.estimated_minutes < 0.7 * asked for w in plan.weeks if w.number >= second for s in w.sessions)
    assert short == (W.SHORTER_THAN_ASKED.format(asked=asked) in plan.notes)

    # 9. At most max_exercises_per_plan cards (planner/plan_size.py); keeping active is never what gives way.
    cap = shipped_rulebook().settings["max_exercises_per_plan"]
    assert len(plan.exercises) <= cap, [c.id for c in plan.exercises]
    capped = {x for x, why in plan.left_out if why == W.LEFT_OUT_CAP.format(n=cap)}
    assert not any(CAT.exercises[x].category == "aerobic" for x in capped)

    # 8. Keep moving, and the one pain rule, in every plan.
    assert "keep_moving" in {a.id for a in plan.advice}
    assert plan.pain_rule is not None and plan.self_check is not None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy, st.integers(7, 8), st.integers(0, 3))
def test_higher_starting_pain_never_ends_an_exercise_at_a_higher_dose(raw, high, low):
    """Time left generous, so the clock trims neither plan: the dosing rules alone decide."""
    raw = {**raw, "red_flags": {k: False for k in raw["red_flags"]}, "plan": {**raw["plan"], "minutes_per_session": 60}}
    low_plan, high_plan = (make_plan(check_answers({**raw, "pain": {**raw["pain"], "level": p}}, "h.json"), TODAY)
                           for p in (low, high))
    if low_plan.status == high_plan.status == "plan":
        final = [{i.id: work(level(i.dose), PER_REP) for s in p.weeks[-1].sessions for i in s.items}
                 for p in (low_plan, high_plan)]
        for ex_id in final[0].keys() & final[1].keys():
            assert final[1][ex_id] <= final[0][ex_id], ex_id


# --- named cases ------------------------------------------------------------------------------------

def test_pain_8_ends_clearly_below_pain_2_and_the_weeks_differ():
    calm, sore = plan_for(**{"pain.level": 2}), plan_for(**{"pain.level": 8})
    assert sore.status == calm.status == "plan"
    assert final_week_work(sore) < 0.6 * final_week_work(calm)
    assert sore.weeks[0] != calm.weeks[0]
    assert sore.dosing == {"start": "bottom", "pace": "slow", "ceiling": "below_top"}


def test_pain_0_and_pain_8_weeks_are_not_the_same():
    assert plan_for(**{"pain.level": 0}).weeks != plan_for(**{"pain.level": 8}).weeks


def test_no_floor_and_no_equipment_gets_standing_strength_not_one_stretch():
    plan = plan_for(floor_ok=False, equipment=[])
    assert plan.status == "plan"
    names = {c.id for c in plan.exercises}
    assert {"heel_raise", "standing_hip_extension", "standing_side_leg_raise"} <= names
    assert all(len(s.items) >= 3 for w in plan.weeks for s in w.sessions)


def test_a_78_year_old_without_floor_gets_strength_and_a_slow_pace():
    plan = plan_for(age=78, floor_ok=False, equipment=["chair"])
    assert plan.status == "plan"
    assert {"sit_to_stand", "heel_raise"} <= {c.id for c in plan.exercises}
    assert plan.dosing["pace"] == "slow"
    assert all(s.estimated_minutes >= 10 for w in plan.weeks for s in w.sessions)


def test_16_weeks_7_days_10_minutes_keeps_whole_sessions():
    plan = plan_for(**{"plan.weeks": 16, "plan.days_per_week": 7, "plan.minutes_per_session": 10})
    assert plan.status == "plan"
    for week in plan.weeks:
        for s in week.sessions:
            assert len(s.items) >= 3 and CAT.exercises[s.items[0].id].category == "mobility"
    a_days = [s.date for w in plan.weeks for s in w.sessions if s.routine == "A"]
    assert all((b - a).days >= 2 for a, b in zip(a_days, a_days[1:], strict=False))


def test_worse_bending_forward_with_pain_below_the_knee():
    plan = plan_for(**{"pain.worse_with": ["bending_forward"], "pain.below_knee": True})
    held = {i.id for w in plan.weeks for s in w.sessions for i in s.items}
    assert not {"knee_to_chest", "curl_up", "hamstring_stretch"} & held
    assert "standing_back_bend" in held
    reason = dict(plan.reasons)["worse_bending_forward"]
    assert "physiotherapist" in reason


@pytest.mark.parametrize(("worse", "expected"), [("walking", "walking_bouts"), ("lying_down", "marching")])
def test_walking_and_lying_down_change_the_plan(worse, expected):
    plan, base = plan_for(**{"pain.worse_with": [worse]}), plan_for()
    assert plan.weeks != base.weeks
    assert expected in {a.id for a in plan.advice} | {c.id for c in plan.exercises}
    if worse == "lying_down":
        first = {i.id for s in plan.weeks[0].sessions for i in s.items}
        assert not any("lying" in CAT.exercises[i].tags for i in first)


def test_a_dose_at_its_top_says_keep_this_level_and_never_jumps():
    plan = plan_for(**{"plan.weeks": 16, "plan.minutes_per_session": 40})
    bridge = next(c for c in plan.exercises if c.id == "bridge")
    assert bridge.weekly_doses[-1].keep
    assert bridge.weekly_doses[-1].dose.sets == 3 and bridge.weekly_doses[-1].dose.reps == 15


def test_a_plan_that_cannot_hold_strength_work_is_a_referral_with_its_reason(rules_copy):
    strength = sorted(e.id for e in CAT.exercises.values() if e.category == "strength")
    add_rule(rules_copy, "40_protect.json", {
        "id": "no_strength", "because": "A clinic that wants no strength work at all.", "when": {"always": True},
        "then": [{"exclude": {"exercises": strength}}]})
    plan = make_plan(check_answers(answers_with(), "x"), TODAY, rulebook=load_rulebook(CAT, rules_copy))
    assert plan.status == "see_professional" and plan.weeks == ()
    assert plan.referral_reasons == ((THIN_PLAN_RULE, W.TOO_THIN),)


def test_reasons_say_only_what_the_person_answered():
    sometimes = plan_for(**{"posture.slouching": "sometimes"})
    chest = next(c for c in sometimes.exercises if c.id == "chest_stretch")
    assert any("sometimes" in r for r in chest.reasons) and not any("often" in r for r in chest.reasons)
    worn = plan_for(**{"posture.footwear": "worn_or_flat"})
    assert any("worn" in r and "heels" not in r for _, r in worn.reasons)
    plan = plan_for(**{"plan.weeks": 8})
    stretch = next(c for c in plan.exercises if c.id == "hamstring_stretch")
    assert not any("strength" in r for r in stretch.reasons)


def test_the_cover_names_no_exercise_the_plan_left_out():
    plan = plan_for(floor_ok=False, equipment=[])
    assert not any("tummy" in f for f in plan.focus)  # the draw-in is a floor exercise


def test_cards_print_from_the_plan_model_not_the_shipped_catalogue(tmp_path):
    copy = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", copy, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    path = copy / "exercises" / "knee_rolls.json"
    data = json.loads(path.read_text())
    data["aim"] = "A clinic's own words for this aim."
    path.write_text(json.dumps(data))
    catalogue = load_catalogue(copy)
    plan = make_plan(check_answers(answers_with(), "x"), TODAY, catalogue=catalogue,
                     rulebook=load_rulebook(catalogue))
    assert next(c for c in plan.exercises if c.id == "knee_rolls").aim == "A clinic's own words for this aim."


def test_the_pain_rule_prints_the_same_on_every_page_that_speaks_of_pain():
    from test_pdf import flat, text_of

    from planner.pdf.render import render_pdf

    plan = plan_for()
    text = flat(text_of(render_pdf(plan, CAT)[0]))
    point = plan.pain_rule.points[1]
    assert text.count(point) == 1  # once, before you start; the log's weekly check points to it
    assert "Your pain rule is in 'Before you start'" in text
    for bookkeeping in ("left out", "sessions were full", "did not fit"):
        assert bookkeeping not in text


def test_weights_are_never_scheduled():
    plan = plan_for(**{"activity_level": "high", "pain.level": 1, "equipment": ["weights"], "plan.weeks": 16})
    assert all(not hasattr(i.dose, "load") for w in plan.weeks for s in w.sessions for i in s.items)
    dose = plan.weeks[-1].sessions[0].items[0].dose
    assert replace(dose, sets=dose.sets) == dose


def test_explain_says_what_was_left_out_and_never_calls_it_unchosen():
    from planner.answers import load_answers
    from planner.explain import explain

    answers = load_answers(REPO / "examples" / "warehouse_worker.json")
    plan = make_plan(answers, TODAY)
    text = explain(answers, TODAY)
    assert plan.left_out
    unchosen = text.split("Not chosen by any rule:")[-1]
    for ex_id, why in plan.left_out:
        assert f"{ex_id}: {why}" in text
        assert ex_id not in unchosen.split("Rules ")[0]


# --- the session fitter on its own ---------------------------------------------------------------

def _entries(*specs):
    """Entries at their catalogue base: (exercise id, priority)."""
    from planner.progression import ceilings, start_level
    from planner.sessions import Entry

    out = []
    for ex_id, priority in specs:
        ex = CAT.exercises[ex_id]
        out.append(Entry(ex, 1, 6, priority, start_level(ex, "base", {}, ceilings(ex), RATIO, PER_REP), ceilings(ex)))
    return out


def _fitter(entries, budget, last_week=None):
    from planner.sessions import _Fitter

    levels = {e.ex.id: e.level for e in entries}
    return _Fitter(levels, last_week or {}, 6, budget, 3, shipped_rulebook().settings["timing"]), levels


def test_the_warm_up_stays_even_when_it_matters_least():
    routine = _entries(("knee_rolls", 9), ("bridge", 1), ("bird_dog", 1), ("curl_up", 1), ("hamstring_stretch", 1))
    fitter, _ = _fitter(routine, 4)
    kept, minutes = fitter.fit(routine)
    assert kept[0].ex.id == "knee_rolls" and len(kept) >= 3
    assert minutes == fitter.minutes(kept)


def test_rises_are_held_back_before_an_exercise_leaves_and_the_walk_never_falls():
    """Over time: this week's rises give way first (the walk's too, but never below last week's minutes),
    then the least important exercise; the daily walk stays and keeps what it reached."""
    routine = _entries(("knee_rolls", 1), ("bridge", 2), ("hamstring_stretch", 3), ("walking", 4))
    held = replace(routine[1].level, sets=1, reps=13)
    walked = replace(routine[3].level, minutes=8)
    fitter, levels = _fitter(routine, 60, {"bridge": held, "walking": walked})
    levels["bridge"], levels["walking"] = held, walked
    fits = fitter.minutes(routine)  # last week's levels: what fitted then
    fitter.budget = fits
    levels["bridge"] = replace(held, sets=3, reps=15)  # rises too big for the time left
    levels["walking"] = replace(walked, minutes=11)
    kept, minutes = fitter.fit(routine)
    assert [e.ex.id for e in kept] == ["knee_rolls", "bridge", "hamstring_stretch", "walking"]
    assert levels["walking"].minutes == 8 and levels["bridge"] == held
    # The minutes fit kept up to date as it held rises back: those of the levels now, counted afresh.
    assert minutes == fitter.minutes(kept) <= fits
    fitter.budget = fits - 1  # even last week's levels do not fit: at the minimum of three, the walk leaves
    kept, minutes = fitter.fit(kept)
    assert [e.ex.id for e in kept] == ["knee_rolls", "bridge", "hamstring_stretch"]
    assert minutes == fitter.minutes(kept) <= fits - 1
    more = _entries(("knee_rolls", 1), ("bridge", 2), ("pelvic_tilt", 3), ("hamstring_stretch", 3), ("walking", 4))
    fitter, levels = _fitter(more, 60)
    fitter.budget = fitter.minutes(more) - 1  # above the minimum, an exercise gives way before the daily walk
    kept, minutes = fitter.fit(more)
    assert [e.ex.id for e in kept] == ["knee_rolls", "bridge", "pelvic_tilt", "walking"]
    assert minutes == fitter.minutes(kept)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy)
@example(json.loads((EXAMPLES / "office_worker.json").read_text()))  # its walk once went 5, 7, 10, 7, 7, 5
def test_the_daily_walk_never_shrinks(raw):
    plan = make_plan(check_answers(raw, "h.json"), TODAY)
    for c in plan.exercises:
        if c.category == "aerobic":
            minutes = [d.dose.minutes for d in c.weekly_doses]
            assert minutes == sorted(minutes), (c.id, minutes)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy)
def test_a_week_opens_with_the_self_check_exactly_when_a_dose_rises_or_a_phase_starts(raw):
    plan = make_plan(check_answers(raw, "h.json"), TODAY)
    if plan.status != "plan":
        return
    for before, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        old = {i.id: i.dose for s in before.sessions for i in s.items}
        new = {i.id: i.dose for s in week.sessions for i in s.items}
        rose = any(k in old and any((getattr(new[k], a) or 0) > (getattr(old[k], a) or 0) for a in AMOUNTS)
                   for k in new)
        assert week.self_check == (rose or week.phase != before.phase), week.number
    assert not plan.weeks[0].self_check


def test_the_pain_rule_says_stop_when_pain_gets_worse_during_an_exercise():
    """The articles' caution, kept in the one pain rule: discomfort within 2 points is fine, but pain that
    climbs while exercising, or sharp pain, stops that exercise at once (more cautious than repeating a week)."""
    plan = make_plan(check_answers(answers_with(), "x.json"), TODAY)
    points = " ".join(plan.pain_rule.points)
    assert "keeps climbing" in points and "stop that exercise now" in points
    assert "Stop and get help now" in points


def test_the_minutes_fit_gives_are_those_of_the_routine_it_kept_at_every_budget():
    """fit keeps each entry's seconds as levels change; counted afresh they must agree, down to a routine
    that cannot be trimmed any further (over budget, kept as it is) and an empty routine (no time)."""
    routine = _entries(("knee_rolls", 1), ("bridge", 2), ("bird_dog", 2), ("hamstring_stretch", 3), ("walking", 4))
    for budget in range(0, 40):
        fitter, _ = _fitter(routine, budget)
        kept, minutes = fitter.fit(routine)
        assert minutes == fitter.minutes(kept), budget
        assert minutes <= budget or len(kept) == 3  # only the minimum may run over, trimmed to its floor
    fitter, _ = _fitter(routine, 1)
    assert fitter.fit([]) == ([], 0)
