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


Counts = tuple[int, int, int, int]  # exercises active in a week: (all, not strength (routine B), strength, mobility)


def _counts(entry: Entry) -> Counts:
    """What one entry adds to each week it is in. The walk adds nothing: when time is short
    `planner.sessions` lets it go before an exercise, so a routine is whole only with enough exercises
    besides it."""
    if _is_activity(entry):
        return (0, 0, 0, 0)
    strength, mobility = int(entry.strength), int(entry.ex.category == "mobility")
    return (1, 1 - strength, strength, mobility)


def _week_counts(entries: Iterable[Entry]) -> dict[int, Counts]:
    """Each week's counts, summed once over the entries (not once per week per candidate)."""
    out: dict[int, Counts] = {}
    for e in entries:
        _add(out, e, 1)
    return out


def _add(counts: dict[int, Counts], entry: Entry, sign: int) -> None:
    """Add `entry` to (sign 1) or take it from (sign -1) the weeks it is in."""
    a, b, c, d = _counts(entry)
    for week in range(entry.first, entry.last + 1):
        w, x, y, z = counts.get(week, (0, 0, 0, 0))
        counts[week] = (w + sign * a, x + sign * b, y + sign * c, z + sign * d)


def _may_go(entry: Entry, now: dict[int, Counts], before: dict[int, Counts], minimum: int) -> bool:
    """Would every week `entry` is in keep its strength work, its warm-up and whole routines without it?

    `now` counts the entries still kept, `entry` among them; `before` counts every entry, none dropped."""
    a, b, c, d = _counts(entry)
    for week in range(entry.first, entry.last + 1):
        total, light, strength, mobility = now[week]
        total, light, strength, mobility = total - a, light - b, strength - c, mobility - d  # (a zip was 2/3 of this)
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
    if len(kept) <= cap:  # already within the cap: nothing to count
        return kept, ()
    before = _week_counts(entries.values())
    now = dict(before)
    dropped: list[str] = []
    for entry in sorted(entries.values(), key=importance, reverse=True):
        if len(kept) <= cap:
            break
        if not _is_activity(entry) and entry.ex.id not in keep and _may_go(entry, now, before, minimum):
            del kept[entry.ex.id]
            dropped.append(entry.ex.id)
            _add(now, entry, -1)
    return kept, tuple(dropped)
