"""The durable_rules adapter guards against each pitfall measured in shared/notes/durable-rules.md."""

from __future__ import annotations

import dataclasses
import json
import sys
import threading

import pytest

from conftest import answers_with
from planner import engine as engine_module
from planner.answers import check_answers
from planner.build import shipped_rulebook
from planner.engine import DurableMatcher, _QuietHost, compile_condition, engine_for, flatten, safe_number
from planner.errors import EngineError
from planner.rules import Rule


def _answers(**changes):
    return check_answers(answers_with(**changes), "x.json")


def test_durable_rules_does_the_matching():
    engine = engine_for(shipped_rulebook())
    fired = engine.fired_rules(_answers(**{"posture.sitting_hours": 9}))
    assert "long_sitting" in fired
    assert "long_sitting" not in engine.fired_rules(_answers(**{"posture.sitting_hours": 5.5}))


def test_one_host_per_process_is_reused():
    assert engine_for(shipped_rulebook()) is engine_for(shipped_rulebook())


def test_more_people_than_the_session_limit():
    """Sessions are deleted after each person: 1,500 people pass the 1,024-session limit."""
    engine = engine_for(shipped_rulebook())
    answers = _answers()
    first = engine.fired_rules(answers)
    for _ in range(1_500):
        assert engine.fired_rules(answers) == first


def test_the_same_person_twice_in_a_row():
    """An identical fact asserted twice in one session raises MessageObservedException; each person gets
    a fresh session, so the same answers can be planned again and again."""
    engine = engine_for(shipped_rulebook())
    answers = _answers(**{"posture.lifting": "often"})
    assert engine.fired_rules(answers) == engine.fired_rules(answers)


def test_no_dispatcher_threads_are_started():
    before = threading.active_count()
    DurableMatcher(shipped_rulebook())
    assert threading.active_count() == before


def test_rule_that_matches_nothing_does_not_crash_delete_state():
    """With no red flags no triage rule fires; the sentinel rule still completes an action."""
    fired = engine_for(shipped_rulebook()).fired_rules(_answers())
    assert not [r for r in fired if r.startswith(("urgent_", "refer_"))]


def test_firings_are_read_off_the_engine_not_through_python_actions():
    """plan-gen reads which rules fired off durable_rules' action queue: an action bound in Python is never
    run, so an action that would fail (durable_rules swallows such a failure into its state) cannot hide a
    firing or make a wrong one. Through durable's own dispatch this host raises on the first rule."""

    class FailingHost(_QuietHost):
        def get_action(self, action_name):
            def boom(_closure):
                raise RuntimeError("action failed")

            return boom

    answers = _answers(**{"posture.sitting_hours": 9})
    fired = DurableMatcher(shipped_rulebook(), host=FailingHost()).fired_rules(answers)
    assert "long_sitting" in fired
    assert fired == DurableMatcher(shipped_rulebook()).fired_rules(answers)


def test_a_second_host_for_the_same_rulebook_still_fires_its_rules():
    """durable_rules deletes the 'run' keys of what it registers: each host must get a ruleset built anew
    (a cached one would reach the second host without its actions, and no rule would fire)."""
    book = shipped_rulebook()
    answers = _answers(**{"posture.sitting_hours": 9})
    first = DurableMatcher(book).fired_rules(answers)
    second = DurableMatcher(book).fired_rules(answers)
    assert "long_sitting" in first
    assert second == first


def _fnv1a(name: str) -> int:
    h = 0x811C9DC5
    for byte in name.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _djb2(name: str) -> int:
    h = 5381
    for byte in name.encode():
        h = (h * 33 + byte) & 0xFFFFFFFF
    return h


@pytest.mark.parametrize(("a", "b", "hash_"), [("ex232789", "ex429192", _fnv1a), ("raz", "rc8", _djb2)],
                         ids=["fnv1a", "djb2"])
def test_rule_ids_that_collide_in_durable_rules_hashes_still_fire_apart(a, b, hash_):
    """durable_rules compares session and fact ids by a 32-bit FNV-1a hash and keys JSON names by djb2; rule
    names that collide in either still fire apart, which is why plan-gen checks no rule id for collisions."""
    assert hash_(a) == hash_(b)
    rules = {a: Rule(a, "x", {"fact": "pain.level", "at_least": 5}, (), "t"),
             b: Rule(b, "x", {"fact": "age", "at_least": 60}, (), "t")}
    matcher = DurableMatcher(dataclasses.replace(shipped_rulebook(), rules=rules))
    assert matcher.fired_rules(_answers(**{"pain.level": 6, "age": 40})) == [a]
    assert matcher.fired_rules(_answers(**{"pain.level": 2, "age": 70})) == [b]
    assert matcher.fired_rules(_answers(**{"pain.level": 6, "age": 70})) == sorted([a, b])


def test_threads_share_one_engine_safely():
    """Without the lock, threads overwrite each other's fired list: switching threads every microsecond
    makes that race show in nearly every run (measured: over 100 wrong answers of 240 without the lock)."""
    engine = DurableMatcher(shipped_rulebook())
    people = [_answers(**{"pain.level": n % 11, "posture.sitting_hours": n, "age": 18 + 5 * n}) for n in range(12)]
    expected = [engine.fired_rules(p) for p in people]
    wrong: list = []

    def work():
        for _ in range(5):
            for person, rules in zip(people, expected, strict=True):
                try:
                    if engine.fired_rules(person) != rules:
                        wrong.append(person)
                except EngineError as exc:
                    wrong.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []


def test_same_answers_same_rules_in_any_order():
    engine = engine_for(shipped_rulebook())
    answers = _answers(**{"pain.worse_with": ["standing", "bending_forward"], "equipment": ["weights", "wall"]})
    shuffled = _answers(**{"pain.worse_with": ["bending_forward", "standing"], "equipment": ["wall", "weights"]})
    assert engine.fired_rules(answers) == engine.fired_rules(shuffled)


def test_numbers_reach_durable_rules_without_an_exponent():
    """durable_rules rejects a float that Python writes with an exponent (1e-05: error 204)."""
    engine = engine_for(shipped_rulebook())
    for hours in (1e-05, 1e-9, 5.99999, 0.00015):
        engine.fired_rules(_answers(**{"posture.sitting_hours": hours}))
        value = flatten(_answers(**{"posture.sitting_hours": hours}))["posture__sitting_hours"]
        assert "e" not in json.dumps(value)
    assert safe_number(1e-05) == 0 and safe_number(0.00016) == 0.0002 and safe_number(6.0) == 6
    assert safe_number(True) is True


def test_rule_values_are_rounded_like_facts():
    """A rule value and a fact are compared at the same precision (`engine.DECIMALS` places)."""
    assert compile_condition({"fact": "posture.sitting_hours", "at_least": 5.99999}) == {
        "$gte": {"posture__sitting_hours": 6.0}}
    assert engine_module.DECIMALS == 4

