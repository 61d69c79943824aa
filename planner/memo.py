"""Facts worked out once per rulebook or catalogue, not once per person: a small cache keyed by the objects.

Why: a batch plans thousands of people from one rulebook and one catalogue, and some of each plan's work
depends on those alone (which exercises a rule's selector matches, the order rules are listed in). Keyed by
identity, not by value: another `--rules` or `--catalogue` folder, or an edited copy, is another object and
gets its own entry, so nothing planned from one source can leak into a plan from another. Each entry holds
its source objects, so their ids cannot be reused while it is cached; at most `limit` entries are kept.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerSource(Generic[T]):
    """`make(*sources)`, remembered for the last `limit` distinct source tuples (compared by identity)."""

    def __init__(self, make: Callable[..., T], limit: int = 4):
        self._make, self._limit = make, limit
        self._entries: dict[tuple[int, ...], tuple[tuple[object, ...], T]] = {}

    def __call__(self, *sources: object) -> T:
        key = tuple(map(id, sources))
        found = self._entries.get(key)
        if found is not None and all(map(operator.is_, found[0], sources)):  # same length: the key says so
            return found[1]
        value = self._make(*sources)
        if len(self._entries) >= self._limit:
            del self._entries[next(iter(self._entries))]  # the oldest goes first
        self._entries[key] = (sources, value)
        return value

    def clear(self) -> None:
        self._entries.clear()
