"""durable_rules fires exactly the rules an independent evaluator (tests/oracle.py) says hold.

The rulebook is the shipped rules plus probe rules that use every operator on
every fact it applies to, and all/any combinations, so every word of the
vocabulary is compared on thousands of random valid answers.
"""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings

import oracle
import strategies
from conftest import REPO
from planner.answers import check_answers
from planner.catalogue import shipped_catalogue
from planner.engine import DurableMatcher
from planner.rules import load_rulebook
from planner.vocabulary import CHECKIN_FACTS, OPERATORS
from planner.vocabulary import FACTS as ALL_FACTS

# The plan's rules read the answers; check-in facts belong to rules/checkin (tests/test_checkin.py).
FACTS = {name: fact for name, fact in ALL_FACTS.items() if name not in CHECKIN_FACTS}

# A threshold near the middle of what people answer, so both outcomes are common.
MIDDLE = {"age": 65, "pain.level": 5, "pain.duration_weeks": 12, "posture.sitting_hours": 6.5, "plan.weeks": 8,
          "plan.days_per_week": 4, "plan.minutes_per_session": 30, "start_back.total": 4,
          "start_back.psychosocial": 2}


def _values(fact: str, op: str) -> list:
    f = FACTS[fact]
    if f.kind in ("integer", "number"):
        middle = MIDDLE[fact]
        if op == "one_of":
            return [[int(middle) - 2, int(middle), int(middle) + 3]]
        return [middle, 6] if fact == "posture.sitting_hours" else [middle]
    if f.kind == "boolean":
        return [True, False]
    if op == "one_of":
        return [list(f.choices[:2])]
    return list(f.choices)


def probe_rules() -> list[dict]:
    leaves = [{"fact": fact, op: value} for fact, f in sorted(FACTS.items()) for op, kinds in OPERATORS.items()
              if f.kind in kinds for value in _values(fact, op)]
    combos = [{"all": leaves[i:i + 2]} for i in range(0, len(leaves) - 1, 7)]
    combos += [{"any": [leaves[i], {"all": [leaves[i + 3], leaves[i + 5]]}]} for i in range(0, len(leaves) - 5, 11)]
    return [{"id": f"probe_{n:03d}", "because": "A probe rule for the oracle test.", "when": when,
             "then": [{"add_advice": {"advice": ["posture"]}}]} for n, when in enumerate(leaves + combos)]


# durable_rules fails with error 303 (ERR_NO_ACTION_AVAILABLE) when too many rules fire for one person (seen
# with 133 rules, about 68 firing; and with the 66 shipped rules of questionnaire v2 plus 50 probes). So the
# shipped rules are one rulebook and the probes are split into rulebooks of 50 with only the settings beside them.
CHUNK = 50


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    probes = probe_rules()
    books = [load_rulebook(shipped_catalogue(), REPO / "rules")]
    for start in range(0, len(probes), CHUNK):
        target = tmp_path_factory.mktemp("oracle") / "rules"
        target.mkdir()
        shutil.copy(REPO / "rules" / "settings.json", target)
        (target / "90_probes.json").write_text(json.dumps({"rules": probes[start:start + CHUNK]}), encoding="utf-8")
        books.append(load_rulebook(shipped_catalogue(), target))
    return [(book, DurableMatcher(book)) for book in books]


def test_probes_use_every_operator_on_every_fact_it_fits():
    used = {(next(k for k in leaf if k != "fact"), leaf["fact"]) for leaf in
            (r["when"] for r in probe_rules()) if "fact" in leaf}
    assert used == {(op, fact) for fact, f in FACTS.items() for op, kinds in OPERATORS.items() if f.kind in kinds}


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(raw=strategies.answers())
def test_durable_rules_fires_what_the_oracle_says(probed, raw):
    answers = raw  # valid as drawn (test_drawn_answers_are_valid); the schema check would double the time
    for book, matcher in probed:
        assert matcher.fired_rules(answers) == oracle.fired(book.rules, answers)


@settings(max_examples=200, deadline=None)
@given(raw=strategies.answers())
def test_drawn_answers_are_valid(raw):
    assert check_answers(raw, "h.json") == raw
