"""The most exercises a plan teaches (`max_exercises_per_plan`, planner/plan_size.py, docs/clinical.md):
which stay, which are left out and why, read from the settings, and never at the cost of a whole session."""

from __future__ import annotations

import json
import re

import pytest
from test_faults import _edit_settings, _problems
from test_pdf import text_of

from conftest import EXAMPLES, TODAY
from planner.answers import check_answers, load_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.explain import explain
from planner.pdf import wording as W
from planner.pdf.render import render_pdf
from planner.plan_size import within_cap
from planner.progression import ceilings, start_level
from planner.rules import load_rulebook
from planner.sessions import Entry

CAT = shipped_catalogue()
OFFICE = load_answers(EXAMPLES / "office_worker.json")
CAPPED = W.LEFT_OUT_CAP.format(n=10)


def _office_with_cap(rules_copy, cap: int):
    _edit_settings(rules_copy, lambda s: s.__setitem__("max_exercises_per_plan", cap))
    return make_plan(OFFICE, TODAY, rulebook=load_rulebook(CAT, rules_copy))


def _capped(plan) -> set[str]:
    return {ex_id for ex_id, why in plan.left_out if why.startswith("left out to keep the plan to")}


def test_the_office_worker_keeps_the_ten_most_important_and_each_left_out_says_why():
    plan = make_plan(OFFICE, TODAY)
    assert shipped_rulebook().settings["max_exercises_per_plan"] == 10
    assert {c.id for c in plan.exercises} == {
        "deep_abdominal_draw_in", "pelvic_tilt",  # priority 1
        "heel_slides", "hip_flexor_stretch", "knee_rolls", "standing_back_bend",  # priority 2, from week 1
        "alternate_knee_lift", "bridge", "side_lying_leg_lift",  # priority 2, later
        "walking"}  # priority 4, but keeping active never competes
    # The four priority 3 stretches go, each with the cap's reason (and nothing else is left out).
    assert dict(plan.left_out) == {ex_id: CAPPED for ex_id in
                                   ("chest_stretch", "hamstring_stretch", "neck_stretch", "piriformis_stretch")}
    assert CAPPED == "left out to keep the plan to 10 exercises, so it is easier to keep up"


def test_the_cover_gives_no_reason_for_exercises_the_cap_left_out():
    plan = make_plan(OFFICE, TODAY)
    # The slouching rule adds chest and neck stretches and posture tips: the tips stay, but its reason speaks
    # of the stretches, so it leaves the cover with them.
    assert "posture" in {a.id for a in plan.advice}
    assert not any("stretches" in reason for reason in plan.focus), plan.focus
    assert any(reason.startswith("You sit for 6 hours") for reason in plan.focus)  # the hip flexor stretch stays


def test_the_cap_is_read_from_the_settings(rules_copy):
    wide = _office_with_cap(rules_copy, 20)
    assert len(wide.exercises) == 13 and not _capped(wide)  # as before the cap: 13 cards


def test_a_rules_folder_from_before_the_cap_still_loads_and_plans_as_it_did(rules_copy):
    _edit_settings(rules_copy, lambda s: s.pop("max_exercises_per_plan"))
    old = make_plan(OFFICE, TODAY, rulebook=load_rulebook(CAT, rules_copy))
    assert len(old.exercises) == 13 and not _capped(old)


def test_a_cap_of_six_keeps_the_walk_and_the_only_strength_work_of_a_week(rules_copy):
    plan = _office_with_cap(rules_copy, 6)
    assert plan.status == "plan"
    # The six most important by priority would be the draw-in, the tilt, heel slides, the hip flexor stretch,
    # knee rolls and the walk. But the draw-in ends in week 4, so the bridge is the only strength work after it,
    # and routine B needs three exercises besides the walk in weeks 3 to 6 (knee rolls, the back bend, the hip
    # flexor stretch): the bridge and the back bend stay, and heel slides and the tilt (weeks 1-2) go.
    assert {c.id for c in plan.exercises} == {"deep_abdominal_draw_in", "standing_back_bend", "hip_flexor_stretch",
                                              "knee_rolls", "bridge", "walking"}
    assert "walking" not in _capped(plan)
    assert _capped(plan) == {"heel_slides", "pelvic_tilt", "alternate_knee_lift", "side_lying_leg_lift",
                             "chest_stretch", "neck_stretch", "hamstring_stretch", "piriformis_stretch"}
    assert all(why == W.LEFT_OUT_CAP.format(n=6) for ex_id, why in plan.left_out if ex_id in _capped(plan))
    minimum = shipped_rulebook().settings["sessions"]["min_exercises"]
    for week in plan.weeks:
        assert any(CAT.exercises[i.id].category == "strength" for s in week.sessions for i in s.items), week.number
        assert all(len(s.items) >= minimum for s in week.sessions), week.number


def _entry(ex_id: str, priority: int, first: int = 1, last: int = 6) -> Entry:
    ex = CAT.exercises[ex_id]
    tops = ceilings(ex)
    return Entry(ex, first, last, priority, start_level(ex, "base", {}, tops, 1.5, 4), tops)


def _cap(entries: list[Entry], cap: int, minimum: int = 3) -> tuple[set[str], tuple[str, ...]]:
    kept, dropped = within_cap({e.ex.id: e for e in entries}, cap, minimum)
    return set(kept), dropped


def test_the_least_important_goes_first_then_the_later_one_the_shorter_stay_then_by_id():
    entries = [_entry("knee_rolls", 1), _entry("bridge", 1), _entry("knee_to_chest", 1), _entry("pelvic_tilt", 1),
               _entry("hamstring_stretch", 2, first=1), _entry("piriformis_stretch", 2, first=3),
               _entry("chest_stretch", 2, first=3), _entry("neck_stretch", 3), _entry("walking", 2)]
    kept, dropped = _cap(entries, 7)
    assert dropped == ("neck_stretch", "piriformis_stretch")  # then the later first week; of two, the later id
    assert kept == {"knee_rolls", "bridge", "knee_to_chest", "pelvic_tilt", "hamstring_stretch", "chest_stretch",
                    "walking"}
    # Of two from the same week, the shorter stay goes before the id decides.
    entries[5] = _entry("piriformis_stretch", 2, first=3, last=4)
    assert _cap(entries, 7)[1] == ("neck_stretch", "piriformis_stretch")
    entries[5], entries[6] = _entry("piriformis_stretch", 2, first=3), _entry("chest_stretch", 2, first=3, last=4)
    assert _cap(entries, 7)[1] == ("neck_stretch", "chest_stretch")


def test_activities_never_compete_whatever_their_priority():
    entries = [_entry("knee_rolls", 1), _entry("bridge", 1), _entry("hamstring_stretch", 2),
               _entry("chest_stretch", 2), _entry("knee_to_chest", 2), _entry("walking", 9)]
    kept, dropped = _cap(entries, 5)
    assert "walking" in kept and dropped == ("knee_to_chest",)  # the last id of three equals


def test_the_only_strength_work_and_the_only_warm_up_of_a_week_stay():
    entries = [_entry("knee_rolls", 1), _entry("pelvic_tilt", 1), _entry("hamstring_stretch", 1),
               _entry("chest_stretch", 1), _entry("deep_abdominal_draw_in", 1, last=4),
               _entry("bridge", 5, first=3), _entry("ankle_pumps", 5, first=5), _entry("walking", 4)]
    kept, dropped = _cap(entries, 6)
    # The bridge is the only strength work of weeks 5 and 6; ankle pumps are not the only warm-up, so it goes.
    assert "bridge" in kept and dropped == ("ankle_pumps", "pelvic_tilt")
    # The only mobility exercise opens every session as its warm-up: it stays, however low its priority.
    warm_up = [_entry("knee_rolls", 5), _entry("bridge", 1), _entry("hamstring_stretch", 1),
               _entry("chest_stretch", 1), _entry("knee_to_chest", 1), _entry("neck_stretch", 1), _entry("walking", 4)]
    assert _cap(warm_up, 6)[1] == ("neck_stretch",)
    # Below what the warm-up and strength rules allow, the plan stays above the cap rather than break them.
    kept, dropped = _cap(entries, 3)
    assert {"knee_rolls", "bridge", "deep_abdominal_draw_in", "walking"} <= kept and len(kept) > 3


def test_routine_b_never_falls_under_the_minimum():
    # Strength every week, so routine B is the rest: knee rolls, two stretches and the walk, which does not
    # count toward a whole session (the sessions let it go first when time is short).
    entries = [_entry("knee_rolls", 1), _entry("bridge", 1), _entry("bird_dog", 3),
               _entry("hamstring_stretch", 2), _entry("chest_stretch", 2), _entry("walking", 4)]
    assert _cap(entries, 4)[1] == ("bird_dog",)  # no stretch may go, so the plan holds five
    assert _cap(entries, 4, minimum=2)[1] == ("bird_dog", "hamstring_stretch")


def test_explain_and_the_clinicians_copy_say_what_the_cap_left_out():
    plan = make_plan(OFFICE, TODAY)
    text = explain(OFFICE, TODAY)
    for ex_id in _capped(plan):
        assert f"{ex_id}: {CAPPED}" in text
    patient = text_of(render_pdf(plan, CAT)[0])
    clinic = text_of(render_pdf(plan, CAT, clinician_answers=OFFICE)[0])
    extra = re.sub(r"\s+", "", clinic[len(patient):])
    for ex_id in _capped(plan):
        assert re.sub(r"\s+", "", f"{ex_id}: {CAPPED}") in extra, ex_id
    assert "easier to keep up" not in patient


def test_the_cap_must_leave_room_for_a_whole_session(rules_copy):
    _edit_settings(rules_copy, lambda s: s.__setitem__("max_exercises_per_plan", 2))
    assert _problems(rules_copy) == ["R/settings.json: at max_exercises_per_plan: is 2, under "
                                     "sessions.min_exercises (3); a plan must hold at least one whole session; "
                                     "allowed: a whole number from 3 to 40, or leave it out for no cap"]


@pytest.mark.parametrize("value", ["ten", 0, 4.5])
def test_the_cap_is_a_whole_number_from_one(rules_copy, value):
    _edit_settings(rules_copy, lambda s: s.__setitem__("max_exercises_per_plan", value))
    (problem,) = _problems(rules_copy)
    assert problem.startswith("R/settings.json: at max_exercises_per_plan:"), problem


def test_a_cap_below_what_a_whole_plan_needs_says_how_many_it_kept(rules_copy):
    """A cap of 3 keeps the walk, the warm-up, the strength work and whole routines: more than 3, so the reason
    names the number kept, not a count the plan does not have."""
    plan = _office_with_cap(rules_copy, 3)
    kept = len(plan.exercises)
    assert kept > 3 and _capped(plan)
    assert {why for ex_id, why in plan.left_out if ex_id in _capped(plan)} == {W.LEFT_OUT_CAP.format(n=kept)}


# A person of 75 whose pain is worse sitting, who sits 12 hours, slouches often and lifts at times (random answers,
# seed 159 of benchmarks/bench.py): eleven exercises compete for ten places.
SITTER = {
    "schema_version": 2, "id": "p000159", "name": "Zoë", "age": 75,
    "pain": {"level": 3, "duration_weeks": 66, "below_knee": False, "worse_with": ["sitting"]},
    "red_flags": {flag: False for flag in json.loads((EXAMPLES / "office_worker.json").read_text())["red_flags"]},
    "posture": {"sitting_hours": 12, "slouching": "often", "lifting": "sometimes"},
    "equipment": ["wall", "bench", "chair"], "floor_ok": True, "activity_level": "moderate",
    "cleared_by_professional": True, "course": {"first_episode": True, "improving": False, "examined": True},
    "plan": {"weeks": 4, "days_per_week": 4, "minutes_per_session": 20, "start_date": "2027-01-04"},
}


def test_the_move_the_pain_favours_and_an_older_persons_strength_work_are_never_what_the_cap_drops():
    """The cover says 'A gentle back bend takes their place' and 'sit to stand and heel raises': the cap dropped them
    (priority 2) and kept lower-value moves. settings.json lists them in cap_never_drops."""
    plan = make_plan(check_answers(SITTER, "sitter.json"), TODAY)
    assert plan.status == "plan" and _capped(plan)  # the cap did bite
    kept = {c.id for c in plan.exercises}
    assert {"standing_back_bend", "sit_to_stand", "heel_raise"} <= kept, sorted(_capped(plan))
    assert any("A gentle back bend takes their place" in reason for reason in plan.focus)


def test_an_exercise_the_cap_must_never_drop_is_read_from_the_settings_and_checked(rules_copy):
    sitter = check_answers(SITTER, "sitter.json")
    _edit_settings(rules_copy, lambda s: s.__setitem__("cap_never_drops", []))
    plain = make_plan(sitter, TODAY, rulebook=load_rulebook(CAT, rules_copy))
    assert "standing_back_bend" in _capped(plain)  # what the list is for: without it the cap takes it
    _edit_settings(rules_copy, lambda s: s.__setitem__("cap_never_drops", ["standing_back_bnd"]))
    assert _problems(rules_copy) == ['R/settings.json: at cap_never_drops[0]: "standing_back_bnd" is not an exercise '
                                     "in the catalogue; use an exercise id (plan-gen catalogue lists them)"]
