"""The one seam to the rules engine: which rules fire for one person.

Everything else in plan-gen sees only `Matcher.fired_rules(answers)`. This is
the only module that imports durable_rules; every detail of it lives here:
turning rule conditions into its JSON ruleset, turning answers into its fact,
and the guards against each pitfall measured in shared/notes/durable-rules.md:

- no background dispatcher threads (`_run` does nothing);
- one host per process, built once and reused (a host per person leaks);
- a sentinel fact and an `_init` rule, so every session has a completed
  action before `delete_state` (which otherwise crashes the process);
- a lowest-priority catch-all rule, so no fact is ever unhandled;
- every session deleted when done (the engine holds at most 1,024);
- short, fixed session and fact ids (it compares them by a 32-bit hash);
  rule ids need no such check: rules named "ex232789" and "ex429192"
  (FNV-1a) or "raz" and "rc8" (djb2) fire apart (tests/test_engine.py);
- numbers written without an exponent (it rejects `1e-05` with error 204);
- rule firings read straight off the engine's action queue (`_fire`), not through durable's
  Python action machinery, which decoded the whole fact from JSON for every rule that fired
  (0.6 ms a person, against 0.2 ms): no Python action ever runs, so none can fail inside it;
- a lock, because a host is not thread-safe;
- a fresh ruleset dict per host, because registering deletes its `run` keys.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Mapping
from functools import cache
from typing import Any, Protocol

import durable_rules_engine
from durable.engine import Host

from planner.errors import EngineError
from planner.rules import Rulebook
from planner.vocabulary import FACTS, Fact

RULESET = "plan_gen"
INTERNAL = ("_init", "_catch_all")
# Numbers reach durable_rules rounded to this many decimal places, so Python never writes them with an
# exponent (1e-05), which durable_rules rejects. Rule values are rounded alike, so both sides compare
# at the same precision: 1/10,000 of an hour or a year is far below anything a rule could mean.
DECIMALS = 4


class Matcher(Protocol):
    """What the rest of plan-gen needs from a rules engine."""

    def fired_rules(self, answers: Mapping[str, Any]) -> list[str]:
        """The ids of the rules whose conditions hold for these answers, sorted."""
        ...


# --- answers -> one durable_rules fact -------------------------------------------------------

def field_name(fact: str, choice: str | None = None) -> str:
    """A fact's key in the flat durable_rules fact (`pain.level` -> `pain__level`)."""
    base = fact.replace(".", "__")
    return f"{base}__{choice}" if choice else base


def safe_number(value: Any) -> Any:
    """A float rounded to `DECIMALS` places, so `json.dumps` writes it without an exponent; other values as they are."""
    return round(value, DECIMALS) if isinstance(value, float) else value


@cache
def _fields() -> tuple[tuple[tuple[str, ...], str, Fact, tuple[tuple[str, str], ...]], ...]:
    """Each fact's path in the answers, its field name, and its choices' field names: worked out once, not
    for every person (a tenth of the engine's time)."""
    return tuple((tuple(name.split(".")), field_name(name), fact,
                  tuple((choice, field_name(name, choice)) for choice in fact.choices))
                 for name, fact in FACTS.items())


def flatten(answers: Mapping[str, Any]) -> dict[str, Any]:
    """One person's answers as a flat durable_rules fact, keyed by `field_name`.

    A list answer becomes one true/false field per allowed choice
    (`equipment__wall`), because durable_rules' `$iall` is false on an empty
    list, so "has no wall" could not be matched on a list.
    """
    out: dict[str, Any] = {}
    for path, field, fact, choice_fields in _fields():
        value: Any = answers
        for part in path:
            value = value.get(part) if isinstance(value, Mapping) else None
        if fact.kind == "choices":
            chosen = set(value or ())
            for choice, choice_field in choice_fields:
                out[choice_field] = choice in chosen
        else:
            value = "not_given" if value is None and "not_given" in fact.choices else value
            out[field] = safe_number(value)
    return out


# --- rules -> the durable_rules ruleset ------------------------------------------------------

COMPARISONS = {"at_least": "$gte", "at_most": "$lte", "above": "$gt", "below": "$lt"}


def compile_condition(cond: dict) -> dict:
    """A rule condition in durable_rules' JSON form."""
    if "all" in cond:
        return {"$and": [compile_condition(c) for c in cond["all"]]}
    if "any" in cond:
        return {"$or": [compile_condition(c) for c in cond["any"]]}
    if "always" in cond:
        return {"kind": "answers"}
    fact = cond["fact"]
    op = next(k for k in cond if k != "fact")
    value = safe_number(cond[op])
    name = field_name(fact)
    if op == "is":
        return {name: value}
    if op == "is_not":
        return {"$neq": {name: value}}
    if op in COMPARISONS:
        return {COMPARISONS[op]: {name: value}}
    if op == "one_of":
        return {"$or": [{name: safe_number(v)} for v in value]}
    if op in ("includes", "excludes"):
        return {field_name(fact, value): op == "includes"}
    raise AssertionError(f"operator {op} is in the vocabulary but not compiled")


def ruleset_definition(rulebook: Rulebook) -> dict:
    """The durable_rules ruleset for these rules, built anew on every call: registering it deletes its `run` keys."""
    definition: dict[str, Any] = {
        "_init": {"all": [{"m": {"kind": "sentinel"}}], "run": "_init"},
        # Lowest priority: every fact is handled, so durable_rules never rejects one.
        "_catch_all": {"all": [{"m": {"$ex": {"kind": 1}}}], "pri": 1_000_000, "run": "_catch_all"},
    }
    for rule in rulebook.rules.values():
        definition[rule.id] = {
            "all": [{"m": {"$and": [{"kind": "answers"}, compile_condition(rule.when)]}}],
            "run": rule.id,
        }
    return {RULESET: definition}


# --- the host and the matcher ----------------------------------------------------------------

class _QuietHost(Host):
    """A durable_rules host with no dispatcher threads. It registers the ruleset; `DurableMatcher._fire`
    then reads the firings itself, so the actions it binds are never called."""

    def _run(self) -> None:  # no timers: plan-gen never uses them
        pass

    def get_action(self, action_name: str):
        def never_called(_closure) -> None:
            raise AssertionError(f"durable_rules ran action {action_name}; plan-gen reads firings itself")

        return never_called


class DurableMatcher:
    """One compiled rulebook in one durable_rules host, reused for every person."""

    def __init__(self, rulebook: Rulebook, host: _QuietHost | None = None):
        self.rulebook = rulebook
        self._host = host if host is not None else _QuietHost()
        try:
            self._host.register_rulesets(ruleset_definition(rulebook))
        except Exception as exc:  # durable_rules names no rule in its errors
            raise EngineError(f"durable_rules rejected the compiled rules: {exc}") from exc
        self._handle = self._host.get_ruleset(RULESET)._handle
        self._lock = threading.Lock()
        self._counter = itertools.count(1)

    def fired_rules(self, answers: Mapping[str, Any]) -> list[str]:
        """The ids of the rules whose conditions hold for these answers, sorted."""
        fact = {**flatten(answers), "kind": "answers", "id": "a"}
        with self._lock:
            sid = f"p{next(self._counter) % 1000}"
            fact["sid"] = sid
            fired: list[str] = []
            try:
                self._fire({"sid": sid, "id": "s", "kind": "sentinel"}, fired)
                self._fire(fact, fired)
            except EngineError:
                raise
            except Exception as exc:
                raise EngineError(f"durable_rules failed while matching: {exc}") from exc
            finally:
                if "_init" in fired:
                    durable_rules_engine.delete_state(self._handle, sid)
        if "_init" not in fired:
            raise EngineError("durable_rules did not start the session (the sentinel rule never fired)")
        return sorted({name for name in fired if name not in INTERNAL})

    def _fire(self, fact: dict, fired: list[str]) -> None:
        """Assert one fact and complete every action it queued, adding each rule's name to `fired`.

        The calls durable.engine's `assert_fact` and `do_actions` make, in the same order, less what
        plan-gen has no use for: decoding the state and the matched fact, and writing the state back (no
        action changes it). A queued action's message is `{"<rule id>": {...}}`, and rule ids match
        `^[a-z_][a-z0-9_]*$`, so the rule's id is the text between the first two quotes."""
        code, state = durable_rules_engine.assert_fact(self._handle, json.dumps(fact, ensure_ascii=False))
        if code in (1, 2):  # not handled / seen before: the catch-all rule and fresh ids rule both out
            raise EngineError(f"durable_rules refused the fact (code {code})")
        state = 0 if code == 3 else state  # as durable.engine's _handle_result
        queued = durable_rules_engine.start_action_for_state(self._handle, state)
        message = queued[1] if queued else None
        while message:
            fired.append(message[2:message.index('"', 2)])
            message = durable_rules_engine.complete_and_start_action(self._handle, state)


_ENGINES: dict[str, DurableMatcher] = {}


def engine_for(rulebook: Rulebook) -> Matcher:
    """The process's matcher for this rulebook (built once; rebuilt only if the rules change)."""
    engine = _ENGINES.get(rulebook.digest)
    if engine is None:
        engine = _ENGINES[rulebook.digest] = DurableMatcher(rulebook)
    return engine
