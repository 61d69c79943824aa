"""The durable_rules adapter guards against each pitfall measured in shared/notes/durable-rules.md."""

from __future__ import annotations

import threading

import pytest

from conftest import answers_with
from planner.answers import check_answers
from planner.build import shipped_rulebook
from planner.engine import RuleEngine, _QuietHost, engine_for
from planner.errors import EngineError


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
    RuleEngine(shipped_rulebook())
    assert threading.active_count() == before


def test_rule_that_matches_nothing_does_not_crash_delete_state():
    """With no red flags no triage rule fires; the sentinel rule still completes an action."""
    fired = engine_for(shipped_rulebook()).fired_rules(_answers())
    assert not [r for r in fired if r.startswith(("urgent_", "refer_"))]


def test_swallowed_action_exception_is_raised():
    """durable_rules returns an action's exception inside the state instead of raising it."""

    class FailingHost(_QuietHost):
        def get_action(self, action_name):
            if action_name == "_init":
                return super().get_action(action_name)

            def boom(_closure):
                raise RuntimeError("action failed")

            return boom

    engine = RuleEngine(shipped_rulebook(), host=FailingHost())
    with pytest.raises(EngineError, match="a rule action failed inside durable_rules: action failed"):
        engine.fired_rules(_answers())


def test_registering_does_not_consume_the_rulebook():
    """durable_rules deletes the 'run' keys of what it registers: each host gets a fresh copy."""
    book = shipped_rulebook()
    RuleEngine(book)
    definition = book.durable_definition()
    assert all("run" in rule for rule in definition["plan_gen"].values())


def test_threads_share_one_engine_safely():
    engine = engine_for(shipped_rulebook())
    people = [_answers(**{"pain.level": level % 9, "posture.sitting_hours": level}) for level in range(12)]
    expected = [engine.fired_rules(p) for p in people]
    results: dict[int, list] = {}

    def work(n):
        results[n] = [engine.fired_rules(p) for p in people]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())


def test_same_answers_same_rules_in_any_order():
    engine = engine_for(shipped_rulebook())
    answers = _answers(**{"pain.worse_with": ["standing", "bending_forward"], "equipment": ["weights", "wall"]})
    shuffled = _answers(**{"pain.worse_with": ["bending_forward", "standing"], "equipment": ["wall", "weights"]})
    assert engine.fired_rules(answers) == engine.fired_rules(shuffled)
