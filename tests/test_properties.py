"""What every plan keeps, whatever the answers (hypothesis; every answers field varies)."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies
from conftest import REPO, TODAY
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.rules import load_rulebook
from planner.vocabulary import RED_FLAGS

CATALOGUE = shipped_catalogue()
# set_dose asks far outside every range, differently for different people, so the caps are tested on
# doses the rules push against, not only on the catalogue's own.
EXTREME_DOSES = [
    {"id": "case_huge_doses", "because": "A test rule that asks for far too much.",
     "when": {"fact": "age", "below": 50},
     "then": [{"set_dose": {"exercises": sorted(CATALOGUE.exercises), "sets": 300, "reps": 300, "hold_seconds": 300}}]},
    {"id": "case_tiny_doses", "because": "A test rule that asks for far too little.",
     "when": {"fact": "pain.level", "at_least": 5},
     "then": [{"set_dose": {"exercises": sorted(CATALOGUE.exercises), "sets": 1, "reps": 1, "hold_seconds": 1}}]},
]


@pytest.fixture(scope="module")
def extreme_rulebook(tmp_path_factory):
    target = tmp_path_factory.mktemp("extreme") / "rules"
    shutil.copytree(REPO / "rules", target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    (target / "90_extreme.json").write_text(json.dumps({"rules": EXTREME_DOSES}), encoding="utf-8")
    return load_rulebook(CATALOGUE, target)


def _items(plan):
    return [(week, s, item) for week in plan.weeks for s in week.sessions for item in s.items]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(answers=strategies.answers(red_flag=strategies.RARE_FLAG), extreme=st.booleans())
def test_every_plan_keeps_its_limits(answers, extreme, extreme_rulebook):
    plan = make_plan(answers, TODAY, rulebook=extreme_rulebook if extreme else None)
    settings_ = shipped_rulebook().settings
    cautions = {c.id for c in plan.cautions}
    if plan.status != "plan":
        assert plan.weeks == () and plan.exercises == ()
        assert "urgent_signs" in cautions and cautions <= set(settings_["referral_cautions"])
        return
    assert {"consult_first", "stop_if_worse", "urgent_signs"} <= cautions
    assert len(plan.weeks) == answers["plan"]["weeks"]
    gear = set(answers["equipment"])
    previous: dict[str, tuple] = {}
    last_strength = None
    for week in plan.weeks:
        assert len(week.sessions) == answers["plan"]["days_per_week"]
        for s in week.sessions:
            assert len(s.items) <= settings_["max_exercises_per_session"]
            assert s.estimated_minutes <= answers["plan"]["minutes_per_session"] or len(s.items) == 1
            strength = False
            for item in s.items:
                ex = CATALOGUE.exercises[item.id]
                assert set(ex.equipment) <= gear
                assert answers["floor_ok"] or not ex.needs_floor
                if answers["pain"]["below_knee"]:
                    assert "nerve_tension" not in ex.tags
                if answers["pain"]["level"] >= 7 and week.number <= 2:
                    assert not {"high_load", "lifting", "glutes", "legs"} & set(ex.tags)
                if "bending_forward" in answers["pain"]["worse_with"] and week.number < 3:
                    assert "flexion_bias" not in ex.tags
                for field in ("sets", "reps", "hold_seconds"):
                    value, amount = getattr(item.dose, field), getattr(ex.dose, field)
                    assert value is None if amount is None else amount.low <= value <= amount.high
                key = (item.dose.sets, item.dose.reps or 0, item.dose.hold_seconds or 0)
                assert all(a >= b for a, b in zip(key, previous.get(item.id, (0, 0, 0)), strict=True))
                previous[item.id] = key
                strength = strength or ex.dose.frequency == "alternate_days"
            if strength:
                assert last_strength is None or (s.date - last_strength).days >= 2
                last_strength = s.date


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=strategies.answers(), flag=st.sampled_from([f"red_flags.{f}" for f in RED_FLAGS]))
def test_any_warning_sign_gives_no_exercises(answers, flag):
    group, name = flag.split(".")
    answers[group][name] = True
    plan = make_plan(answers, TODAY)
    assert plan.status in ("urgent_care", "see_professional")
    assert plan.weeks == () and plan.exercises == () and plan.advice == ()
    assert plan.referral_reasons
