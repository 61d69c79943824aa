"""The most exercises one plan teaches (`max_exercises_per_plan` in rules/settings.json).

Why: people keep up a home programme less well the more exercises it holds
(Henry et al. 1999; Medina-Mirapeix et al. 2009; Bachmann et al. 2018; see
docs/clinical.md), and every exercise is one more card to read. The cap runs
after the rules have chosen and before the weeks are laid out, and it is
deterministic: the least important exercise goes first (the rule's highest
`priority` number, then the latest first week, then the shorter stay, then
the id), one at a time,
until the plan is within the cap. It never drops

- an activity (the graded walk): keeping active is central to the care of low
  back pain (NICE NG59), so activities do not compete on priority;
- an exercise listed in `cap_never_drops` (settings): the move a person's
  pain direction favours, and an older person's standing strength work;
- the only strength exercise of a week, or the only mobility warm-up;
- an exercise whose loss would leave a week's routine A (everything) or
  routine B (all but strength work) under `sessions.min_exercises`, the walk
  not counted (the sessions let it go first when time is short).

When only protected exercises remain, the plan stays above the cap: a whole,
safe plan matters more than a short one. No kept exercise is stretched into
weeks its rule did not give it (an `until_phase` is the clinician's choice),
so a phase may simply hold fewer exercises.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.sessions import Entry


def importance(entry: Entry) -> tuple:
    """Sort key, most important first: the rule's priority (1 highest), the earlier first week, the longer
    stay (more use from one card), the id."""
    return (entry.priority, entry.first, entry.first - entry.last, entry.ex.id)


def _is_activity(entry: Entry) -> bool:
    return entry.ex.category == "aerobic"


def _week_counts(entries: Iterable[Entry], week: int) -> tuple[int, int, int, int]:
    """Active in `week`, activities aside: (all, not strength (routine B), strength, mobility).

    The walk is not counted toward a whole session: when time is short `planner.sessions` lets it go
    before an exercise, so a routine is whole only with enough exercises besides it."""
    active = [e for e in entries if e.first <= week <= e.last and not _is_activity(e)]
    strength = sum(e.strength for e in active)
    mobility = sum(e.ex.category == "mobility" for e in active)
    return len(active), len(active) - strength, strength, mobility


def _may_go(entry: Entry, kept: dict[str, Entry], before: dict[int, tuple[int, int, int, int]], minimum: int) -> bool:
    """Would every week `entry` is in keep its strength work, its warm-up and whole routines without it?"""
    rest = [e for e in kept.values() if e is not entry]
    for week in range(entry.first, entry.last + 1):
        total, light, strength, mobility = _week_counts(rest, week)
        was_total, was_light, was_strength, was_mobility = before[week]
        if (was_strength and not strength) or (was_mobility and not mobility):
            return False
        if total < min(minimum, was_total) or (strength and light < min(minimum, was_light)):
            return False
    return True


def within_cap(entries: dict[str, Entry], cap: int, minimum: int, keep: frozenset[str] = frozenset()
               ) -> tuple[dict[str, Entry], tuple[str, ...]]:
    """The entries a plan keeps under the cap, and the ids left out because of it (least important first).
    `keep` (settings `cap_never_drops`): exercises a clinician has said the cap must never take."""
    kept = dict(entries)
    weeks = {w for e in entries.values() for w in range(e.first, e.last + 1)}
    before = {w: _week_counts(entries.values(), w) for w in weeks}
    dropped: list[str] = []
    for entry in sorted(entries.values(), key=importance, reverse=True):
        if len(kept) <= cap:
            break
        if not _is_activity(entry) and entry.ex.id not in keep and _may_go(entry, kept, before, minimum):
            del kept[entry.ex.id]
            dropped.append(entry.ex.id)
    return kept, tuple(dropped)
