"""make_plan keeps some work per rulebook and catalogue (planner.memo) and per plan (sessions.Entry):
a plan must not depend on what was planned before it in the process, nor on another source's cache."""

from __future__ import annotations

import dataclasses
import json
import shutil

from conftest import EXAMPLES, REPO, TODAY
from planner.answers import check_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import load_catalogue
from planner.rules import load_rulebook


def _answers(name: str) -> dict:
    return check_answers(json.loads((EXAMPLES / f"{name}.json").read_text()), name)


def _plan(name: str, rulebook=None, catalogue=None) -> str:
    answers = _answers(name.split("+")[0])
    if name.endswith("+long"):  # the longest, fullest plan: every week and day, the most levels met
        answers = {**answers, "plan": {**answers["plan"], "weeks": 16, "days_per_week": 7, "minutes_per_session": 20}}
    return repr(make_plan(answers, TODAY, rulebook, catalogue))


def test_a_then_b_then_a_gives_the_same_a():
    names = ["office_worker", "older_adult_no_floor", "acute_high_pain", "minimal", "cleared_pregnancy",
             "office_worker+long", "older_adult_no_floor+long"]
    first = {n: _plan(n) for n in names}
    for n in reversed(names):  # each again, after all the others
        assert _plan(n) == first[n], n
    assert _plan("office_worker") == first["office_worker"]


def test_a_clinics_catalogue_is_not_served_from_the_shipped_ones_cache(tmp_path):
    """The floor rule's matches come from each catalogue: here the clinic's pelvic tilt needs no floor."""
    copy = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", copy, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    path = copy / "exercises" / "pelvic_tilt.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "needs_floor": False}))
    clinic = load_catalogue(copy)
    clinic_rules = load_rulebook(clinic)

    def floor_rules(plan) -> dict:
        return {r.id: r.rules for r in plan.ruled_out if "no_floor" in r.rules}

    before = make_plan(_answers("older_adult_no_floor"), TODAY)
    # The clinic's own rules folder, and the shipped rules (the very same rule objects) with its catalogue.
    for rulebook in (clinic_rules, shipped_rulebook()):
        theirs = make_plan(_answers("older_adult_no_floor"), TODAY, rulebook, clinic)
        assert "pelvic_tilt" in floor_rules(before) and "pelvic_tilt" not in floor_rules(theirs)
        assert set(floor_rules(theirs)) == set(floor_rules(before)) - {"pelvic_tilt"}
        assert repr(make_plan(_answers("older_adult_no_floor"), TODAY)) == repr(before)


def test_shared_steps_are_keyed_by_the_tops_a_check_in_holds_an_exercise_to():
    """A check-in block holds an exercise at its level by passing lower tops (planner.next_block)."""
    from planner.catalogue import shipped_catalogue
    from planner.progression import ceilings, start_level
    from planner.sessions import Entry

    settings = shipped_rulebook().settings
    ratio, per_rep = settings["progression"]["max_weekly_work_ratio"], settings["timing"]["seconds_per_rep"]
    ex = shipped_catalogue().exercises["bridge"]
    level = start_level(ex, "base", {}, ceilings(ex), ratio, per_rep)
    free = Entry(ex, 1, 6, 1, level, ceilings(ex))
    held = Entry(ex, 1, 6, 1, level, {n: getattr(level, n) for n in ceilings(ex)})
    assert free.step_up(level, ratio, per_rep) is not None
    assert held.step_up(level, ratio, per_rep) is None


def test_per_source_tables_are_per_object_and_bounded():
    from planner.memo import PerSource

    made = []
    table = PerSource(lambda source: made.append(source) or len(made), limit=2)
    a, b, c = object(), object(), object()
    assert (table(a), table(a), table(b)) == (1, 1, 2)  # once per object
    table(c)  # a third object: the oldest (a) goes
    assert len(table._entries) == 2 and table(b) == 2 and table(a) == 4


def test_a_bounded_table_is_emptied_whole_before_it_takes_one_past_its_limit():
    """Memory stays flat over any batch: a full table is emptied before it keeps one more entry."""
    from planner.memo import Bounded

    kept: Bounded[tuple, str] = Bounded(3)
    sizes = [len(kept) for n in range(7) if kept.keep(("key", n), str(n)) == str(n)]
    assert sizes == [1, 2, 3, 1, 2, 3, 1]
    assert dict(kept) == {("key", 6): "6"} and kept.limit == 3


def test_plans_are_the_same_when_every_kept_table_is_emptied_again_and_again(monkeypatch):
    """Each table kept across plans (memo.Bounded) may be emptied at any new entry, even in the middle of a
    layout: with every limit at 2, every plan and its JSON are the same as with the tables' own limits."""
    from planner import build, render_json, sessions
    from planner.catalogue import shipped_catalogue
    from planner.memo import Bounded
    from planner.render_json import plan_json

    names = ["office_worker", "older_adult_no_floor", "acute_high_pain", "minimal", "cleared_pregnancy",
             "office_worker+long", "older_adult_no_floor+long"]
    plans = {n: _plan(n) for n in names}
    texts = {n: plan_json(make_plan(_answers(n), TODAY)) for n in names if "+" not in n}
    per_source = (build._SECONDS, build._WHY, build._STARTS)
    try:
        for table in per_source:
            monkeypatch.setattr(table, "_make", lambda *sources: Bounded(2))
            table.clear()
        for table in (sessions._SHARED_STEPS, sessions._SHARED_ITEMS, render_json._DAYS, render_json._WEEK_DOSES,
                      *render_json._EACH.values()):
            monkeypatch.setattr(table, "limit", 2)
            table.clear()
        for n in names:
            assert _plan(n) == plans[n], n
        for n, text in texts.items():
            assert plan_json(make_plan(_answers(n), TODAY)) == text, n
        seconds = build._SECONDS(shipped_rulebook(), shipped_catalogue())
        assert 0 < len(seconds) <= 2 and 0 < len(sessions._SHARED_STEPS) <= 2
    finally:
        for table in per_source:  # their small tables made here must not outlive the test
            table.clear()


def test_a_level_hashes_as_its_amounts_do_and_alike_in_every_process():
    """Level keeps its hash (layout looks levels up hundreds of times a plan). Equal levels must hash alike,
    and a level made in a worker process must hash as one made here: hash(None) differs between processes."""
    import subprocess
    import sys

    from planner.progression import Level

    a, b = Level(3, None, 10, None), dataclasses.replace(Level(2, None, 10, None), sets=3)
    assert a == b and hash(a) == hash(b) and len({a, b, Level(3, 10, None, None)}) == 2
    there = subprocess.run([sys.executable, "-c", "from planner.progression import Level; "
                            "print(hash(Level(3, None, 10, None)))"], capture_output=True, text=True, check=True)
    assert int(there.stdout) == hash(a)


def test_advice_and_cautions_come_from_the_catalogue_the_plan_was_made_with(tmp_path):
    """Their Text objects are kept per catalogue object: a clinic's edited wording shows in its plans, never in
    the shipped catalogue's, whichever was planned first."""
    copy = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", copy, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    for path in sorted(copy.rglob("*.json")):
        text = path.read_text()
        if '"title"' in text:  # every titled text of the clinic's copy gets its own words
            path.write_text(text.replace('"title": "', '"title": "Clinic: '))
    clinic = load_catalogue(copy)
    shipped = make_plan(_answers("office_worker"), TODAY)
    theirs = make_plan(_answers("office_worker"), TODAY, load_rulebook(clinic), clinic)
    mine = [t.title for t in (*shipped.advice, *shipped.cautions, shipped.pain_rule, shipped.self_check)]
    clinics = [t.title for t in (*theirs.advice, *theirs.cautions, theirs.pain_rule, theirs.self_check)]
    assert mine and clinics == [f"Clinic: {t}" for t in mine]
    assert repr(make_plan(_answers("office_worker"), TODAY)) == repr(shipped)


def _focus_walked(rulebook, plan) -> tuple:
    """The cover's reasons worked out the long way, every fired rule's every action (as before _SHAPERS)."""
    from planner.catalogue import shipped_catalogue
    from planner.decide import decide

    d = decide(rulebook, shipped_catalogue(), [rid for rid, _ in plan.reasons])
    chosen = {c.id for c in plan.exercises}
    ruled_out = {r.id for r in plan.ruled_out} & set(d.included)
    out = []
    for rid, _ in plan.reasons:
        then = rulebook.rules[rid].then
        adds = any("include" in action for action in then)
        shaped = False
        for action in then:
            (name, params), = action.items()
            if name == "include":
                shaped |= bool(set(params["exercises"]) & chosen)
            elif name == "add_advice":
                shaped |= not adds
            elif name == "exclude" and ("tags" in params or "exercises" in params):
                shaped |= any(rid in d.excluded.get(x, {}) for x in ruled_out)
            else:
                shaped |= name in ("set_dosing", "set_dose") or (name == "add_caution" and params.get("rank", 50) < 5)
        if shaped:
            out.append(rulebook.rules[rid].because)
    return tuple(out)


def test_the_covers_reasons_kept_per_rulebook_agree_with_walking_every_action():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from strategies import answers as valid_answers

    rulebook = shipped_rulebook()
    names = ["office_worker", "older_adult_no_floor", "acute_high_pain", "minimal", "cleared_pregnancy"]
    for name in names:
        plan = make_plan(_answers(name), TODAY)
        assert plan.focus == _focus_walked(rulebook, plan), name

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_answers(red_flag=st.just(False)))
    def each(raw):
        plan = make_plan(check_answers(raw, "h.json"), TODAY)
        if plan.status == "plan":
            assert plan.focus == _focus_walked(rulebook, plan)

    each()


def test_each_cards_rules_and_reasons_kept_per_rulebook_agree_with_the_rulebooks_order():
    """_why keeps each set of rules' sorted ids and reasons: they must be those of the rules that included the
    exercise, reasons in the order the rulebook lists its rules, whatever was planned before and after a clear."""
    from planner import build
    from planner.catalogue import shipped_catalogue
    from planner.decide import decide

    rulebook = shipped_rulebook()
    names = ["office_worker", "older_adult_no_floor", "acute_high_pain", "minimal", "cleared_pregnancy"]
    seen = set()
    for name in names * 2:
        plan = make_plan(_answers(name), TODAY)
        d = decide(rulebook, shipped_catalogue(), [rid for rid, _ in plan.reasons])
        for c in plan.exercises:
            included = d.included[c.id].rules
            assert c.rules == tuple(sorted(included))
            assert c.reasons == tuple(rule.because for rid, rule in rulebook.rules.items() if rid in included)
            seen.add(c.rules)
        build._WHY(rulebook).clear()
    assert len(seen) > 3  # the examples meet several sets of rules


def test_seconds_kept_across_plans_follow_the_rulebooks_timing(rules_copy):
    """Session minutes come from seconds kept per rulebook and catalogue: a clinic's slower setup between
    exercises gives longer sessions in its plans only, whichever was planned first."""
    settings_file = rules_copy / "settings.json"
    data = json.loads(settings_file.read_text())
    data["timing"]["setup_seconds"] += 60
    settings_file.write_text(json.dumps(data))
    from planner.catalogue import shipped_catalogue

    clinic = load_rulebook(shipped_catalogue(), rules_copy)

    def minutes(plan) -> list[int]:
        return [s.estimated_minutes for w in plan.weeks for s in w.sessions]

    answers = {**_answers("office_worker"), "plan": {**_answers("office_worker")["plan"], "minutes_per_session": 60}}
    shipped = make_plan(answers, TODAY)
    slower = make_plan(answers, TODAY, clinic)
    assert sum(minutes(slower)) > sum(minutes(shipped))
    assert repr(make_plan(answers, TODAY)) == repr(shipped)
    assert repr(make_plan(answers, TODAY, clinic)) == repr(slower)


def test_session_items_shared_across_plans_are_each_catalogues_own(tmp_path):
    """A session item (its dose) is kept per exercise object and level for the process: a clinic's catalogue
    whose knee rolls are one-sided must print them so, and the shipped plan must not change after it."""
    copy = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", copy, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    path = copy / "exercises" / "knee_rolls.json"
    data = json.loads(path.read_text())
    data["dose"]["per_side"] = False
    path.write_text(json.dumps(data))
    clinic = load_catalogue(copy)

    def per_side(plan) -> set[bool]:
        return {i.dose.per_side for w in plan.weeks for s in w.sessions for i in s.items if i.id == "knee_rolls"}

    before = make_plan(_answers("office_worker"), TODAY)
    theirs = make_plan(_answers("office_worker"), TODAY, load_rulebook(clinic), clinic)
    assert per_side(before) == {True} and per_side(theirs) == {False}
    assert repr(make_plan(_answers("office_worker"), TODAY)) == repr(before)
