"""When Python's cycle collector runs: seldom while a command starts, and never again over what starting made.

Starting a command imports some three hundred modules and reads the rules and the catalogue: about 90,000
objects that live until the process ends, none of them garbage. With Python's usual thresholds the
collector walked them as they were made, in some 130 collections, one of them over everything: 0.03 to
0.05 s of CPU in a one-file PDF batch of about 0.4 s (issue 17; counted with `gc.callbacks`; README,
"Speed"). So the entry point gives the start an allowance (`hold_during_start`): no collection until
`START_ALLOWANCE` more objects are alive than when it began. That is more than a start makes, yet a bound,
so a command that never settles still collects; the cycles it holds until then cost memory (`rules test`
held 95 MB instead of 52 before it settled after its first case). Once the first record (or case) is made,
every module and the data a run uses are loaded: `settle` moves everything alive into the generation the
collector never walks (`gc.freeze`) and puts Python's thresholds back for the rest of the run. A program
that imports planner as a library and never holds keeps Python's collector as it was: `settle` then does
nothing.
"""

from __future__ import annotations

import gc

# Net new objects. Measured with collection off, to the end of the command: a one-file PDF batch 70,000 to
# 95,000, a check-in 105,000, `figures` 100,000, `rules test` 170,000 (it settles after its first case).
START_ALLOWANCE = 200_000
USUAL = gc.get_threshold()  # Python's thresholds, as this process started with them
_holding: list[bool] = []  # [True] from `hold_during_start` to `settle`


def hold_during_start() -> None:
    """No collection while the command (or a batch worker) loads its modules and data, up to
    `START_ALLOWANCE` objects."""
    gc.set_threshold(START_ALLOWANCE, *USUAL[1:])
    _holding[:] = [True]


def settle() -> None:
    """Loading is over: keep what exists out of every later collection, and collect as usual from now on.
    Does anything only after `hold_during_start`, once, so it may be called after every record."""
    if not _holding:
        return
    _holding.clear()
    gc.freeze()
    gc.set_threshold(*USUAL)
