"""The durable_rules adapter: which rules fire for one person.

durable_rules does the matching (its Rete network evaluates every rule's
condition); this module only feeds it one fact per person and collects the
names of the rules that fired. It guards against every pitfall measured in
shared/notes/durable-rules.md:

- no background dispatcher threads (`_run` does nothing);
- one host per process, built once and reused (a host per person leaks);
- a sentinel fact and an `_init` rule, so every session has a completed
  action before `delete_state` (which otherwise crashes the process);
- a lowest-priority catch-all rule, so no fact is ever unhandled;
- every session deleted when done (the engine holds at most 1,024);
- short, distinct session and fact ids (ids are compared by a 32-bit hash);
- exceptions swallowed into the returned state are raised again;
- a lock, because a host is not thread-safe;
- a deep copy of the ruleset, because registering deletes its `run` keys.
"""

from __future__ import annotations

import itertools
import threading

from durable.engine import Host

from planner.errors import EngineError
from planner.rules import RULESET, Rulebook
from planner.vocabulary import flatten

INTERNAL = ("_init", "_catch_all")


class _QuietHost(Host):
    """A durable_rules host with no dispatcher threads that records fired rule names."""

    def __init__(self) -> None:
        self.fired: list[str] = []
        super().__init__()

    def _run(self) -> None:  # no timers: plan-gen never uses them
        pass

    def get_action(self, action_name: str):
        def record(_closure) -> None:
            self.fired.append(action_name)

        return record


class RuleEngine:
    """One compiled rulebook in one durable_rules host, reused for every person."""

    def __init__(self, rulebook: Rulebook, host: _QuietHost | None = None):
        self.rulebook = rulebook
        self._host = host if host is not None else _QuietHost()
        try:
            self._host.register_rulesets(rulebook.durable_definition())
        except Exception as exc:  # durable_rules names no rule in its errors
            raise EngineError(f"durable_rules rejected the compiled rules: {exc}") from exc
        self._lock = threading.Lock()
        self._counter = itertools.count(1)

    def fired_rules(self, answers: dict) -> list[str]:
        """The ids of the rules whose conditions hold for these answers, sorted."""
        fact = {**flatten(answers), "kind": "answers", "id": "a"}
        with self._lock:
            sid = f"p{next(self._counter) % 1000}"
            fact["sid"] = sid
            host = self._host
            host.fired = []
            try:
                state = host.assert_fact(RULESET, {"sid": sid, "id": "s", "kind": "sentinel"})
                self._raise_swallowed(state)
                state = host.assert_fact(RULESET, fact)
                self._raise_swallowed(state)
            except EngineError:
                raise
            except Exception as exc:
                raise EngineError(f"durable_rules failed while matching: {exc}") from exc
            finally:
                if "_init" in host.fired:
                    host.delete_state(RULESET, sid)
            fired = host.fired
        if "_init" not in fired:
            raise EngineError("durable_rules did not start the session (the sentinel rule never fired)")
        return sorted({name for name in fired if name not in INTERNAL})

    @staticmethod
    def _raise_swallowed(state) -> None:
        if isinstance(state, dict) and state.get("exception"):
            detail = str(state["exception"]).split(", traceback", 1)[0].removeprefix("exception caught ")
            raise EngineError(f"a rule action failed inside durable_rules: {detail}")


_ENGINES: dict[str, RuleEngine] = {}


def engine_for(rulebook: Rulebook) -> RuleEngine:
    """The process's engine for this rulebook (built once; rebuilt only if the rules change)."""
    engine = _ENGINES.get(rulebook.digest)
    if engine is None:
        engine = _ENGINES[rulebook.digest] = RuleEngine(rulebook)
    return engine
