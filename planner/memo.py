"""Work kept across plans, bounded so memory stays flat over any batch.

`Bounded`: a table emptied whole when full, for facts a batch meets again and again (a level's next step,
a text already written). `PerSource`: facts worked out once per rulebook or catalogue, not once per person.
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

K = TypeVar("K")
T = TypeVar("T")


class Bounded(dict[K, T], Generic[K, T]):
    """A dict that empties itself whole before it takes one entry past `limit`: memory stays flat over any
    batch, and a miss after a clear costs only the work again. Look-ups are the plain dict's (`get`, `in`,
    `[]`, in C); only a new entry goes through `keep`.

    Why emptied whole, not least-recently-used: the tables on the planning path are looked up hundreds of
    times a plan and meet few distinct keys, so they rarely fill; tracking use on every hit would cost each
    look-up a Python call, where this costs one length check per new entry."""

    __slots__ = ("limit",)  # no instance __dict__: method look-ups stay as quick as a plain dict's

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: T) -> T:
        """`value` kept under `key` (the table emptied first when full); returns `value`."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


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
