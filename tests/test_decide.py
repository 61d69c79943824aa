"""decide: one handler per action, and each conflict policy named once and settled the same in any order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from planner import decide as D
from planner.build import shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.vocabulary import ACTIONS


@dataclass(frozen=True)
class FakeRule:
    then: list


class Book:
    """The shipped settings and phases with rules made up for one test."""

    def __init__(self, rules: dict[str, list]):
        real = shipped_rulebook()
        self.settings, self.phases = real.settings, real.phases
        self.rules = {rid: FakeRule(then) for rid, then in rules.items()}


def decided(rules: dict[str, list]) -> D.Decisions:
    return D.decide(Book(rules), shipped_catalogue(), list(rules))  # type: ignore[arg-type]


def every_order(rules: dict[str, list]) -> list[D.Decisions]:
    """The same rules under every renaming that changes their sorted order."""
    out = []
    for names in itertools.permutations([f"r{i}" for i in range(len(rules))]):
        out.append(decided(dict(zip(names, rules.values(), strict=True))))
    return out


def test_every_action_has_one_handler_and_one_policy():
    assert set(D.HANDLERS) == set(ACTIONS)
    assert set(D.POLICIES) == set(ACTIONS) - {"set_status"} | {"status"}


def test_status_most_serious_wins():
    for d in every_order({"a": [{"set_status": "see_professional"}], "b": [{"set_status": "urgent_care"}]}):
        assert d.status == "urgent_care" and len(d.status_rules) == 1


def test_include_earliest_start_highest_priority_longest_stay():
    rules = {"a": [{"include": {"exercises": ["bridge"], "from_phase": "build", "priority": 2}}],
             "b": [{"include": {"exercises": ["bridge"], "from_phase": "settle", "until_phase": "build",
                                "priority": 5}}]}
    for d in every_order(rules):
        inc = d.included["bridge"]
        assert (inc.start_week, inc.priority, inc.end_week) == (1, 2, None)


def test_exclusion_beats_inclusion_and_the_longest_exclusion_wins():
    rules = {"a": [{"include": {"exercises": ["bridge"]}}],
             "b": [{"exclude": {"exercises": ["bridge"], "until_week": 3}}],
             "c": [{"exclude": {"tags": ["glutes"], "until_week": 5}}]}
    for d in every_order(rules):
        assert d.start_week("bridge") == 5
    forever = decided({"a": [{"include": {"exercises": ["bridge"]}}], "b": [{"exclude": {"exercises": ["bridge"]}}]})
    assert forever.start_week("bridge") is None


@pytest.mark.parametrize(("field", "loose", "careful"), [("start", "step_up", "bottom"), ("pace", "normal", "slow"),
                                                         ("ceiling", "top", "below_top")])
def test_the_more_cautious_dosing_wins_in_any_order(field, loose, careful):
    for d in every_order({"a": [{"set_dosing": {field: loose}}], "b": [{"set_dosing": {field: careful}}]}):
        assert getattr(d, field) == careful
    assert getattr(decided({"a": [{"set_dosing": {field: loose}}]}), field) == loose


def test_no_dosing_rule_means_base_normal_top():
    d = decided({})
    assert (d.start, d.pace, d.ceiling) == ("base", "normal", "top")


def test_a_slow_pace_moves_later_phases_for_every_inclusion():
    d = decided({"a": [{"include": {"exercises": ["bridge"], "from_phase": "build"}}],
                 "b": [{"set_dosing": {"pace": "slow"}}]})
    assert d.included["bridge"].start_week == 4


def test_lowest_set_dose_and_lowest_caution_rank_win():
    rules = {"a": [{"set_dose": {"exercises": ["bridge"], "reps": 12}}, {"add_caution": {"cautions": ["form_first"],
                                                                                          "rank": 40}}],
             "b": [{"set_dose": {"exercises": ["bridge"], "reps": 11}}, {"add_caution": {"cautions": ["form_first"],
                                                                                          "rank": 3}}]}
    for d in every_order(rules):
        assert d.dose_overrides["bridge"]["reps"] == 11
        assert d.cautions["form_first"][0] == 3


def test_each_rules_actions_kept_per_rulebook_are_its_own_in_order():
    """decide reads each rule's actions from a per-rulebook table: they must be the rule's, in its order, and
    another rulebook object (even one whose rules share ids) must get its own."""
    real = shipped_rulebook()
    for rid, rule in real.rules.items():
        walked = [(rid, name, params) for action in rule.then for name, params in action.items()]
        assert list(D._ACTIONS(real)[rid]) == walked
    book = Book({"r1": [{"include": {"exercises": ["bridge"], "priority": 2}}, {"add_advice": {"advice": ["x"]}}],
                 "r2": [{"include": {"exercises": ["bird_dog"]}}]})
    assert D._ACTIONS(book)["r1"] == (("r1", "include", {"exercises": ["bridge"], "priority": 2}),
                                      ("r1", "add_advice", {"advice": ["x"]}))
    other = Book({"r1": [{"include": {"exercises": ["curl_up"]}}]})
    assert set(D.decide(other, shipped_catalogue(), ["r1"]).included) == {"curl_up"}
    assert set(D.decide(book, shipped_catalogue(), ["r1", "r2"]).included) == {"bridge", "bird_dog"}
