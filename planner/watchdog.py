"""A time limit on one input, so that a stuck input never hangs a batch (`--timeout`).

Two stages:

1. `time_limit`, per input: a real-time timer (SIGALRM) whose handler raises `TimedOut` in the main
   thread, where batch makes records, in a worker and in the main process alike. It stops a loop in
   Python, a sleep, and a read or write that blocks (a named pipe with no writer, a network folder that
   does not answer): the system call is interrupted and the handler runs. Batch reports the input and
   goes on with the rest. Two system calls an input: no cost a run notices.
2. `backstop`, per group of inputs, for code that never returns to Python (a loop inside a compiled
   library holds the interpreter, so the handler cannot run): faulthandler's own thread ends the process
   a little after the limit (`backstop_after`). In a worker that is a worker death, which batch already
   handles (the records it held are made again one at a time, and the one that stops again is reported).
   In the main process it ends the run with Python's thread dump on stderr and exit 1: the one way left
   not to hang. Arming it starts a thread (0.07 to 0.4 ms measured, on a 2-CPU machine idle and busy), so
   it is armed once a group and moved on at most once a second as inputs start, not once an input.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from planner.errors import TimedOut

DEFAULT = 60.0  # seconds for one input: a plan takes tens of milliseconds, a PDF with every option under 1 s
MOVE_EVERY = 1.0  # seconds: how stale the backstop may grow before an input's start moves it on

_dump_to: list[IO] = []  # where the backstop writes its thread dump: stderr here, /dev/null in a worker
_armed: list[float] = []  # while a `backstop` is open: when it was last armed, and its limit


def in_worker() -> None:
    """A worker's backstop writes nothing (its death is reported by batch, against the record); called at its start."""
    if hasattr(signal, "SIGALRM"):  # not on Windows, where only the backstop works
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    _dump_to[:] = [open(os.devnull, "w")]  # noqa: SIM115 - open for the life of the worker


def backstop_after(seconds: float) -> float:
    """When a process whose input cannot be interrupted is ended: stage 1's handler runs within milliseconds
    of its timer, so a fifth of the limit (at least 2 s) more is room enough for it, even after `MOVE_EVERY`."""
    return seconds + max(2.0, seconds / 5)


def _dump_file() -> IO | None:
    if not _dump_to:
        stream = sys.__stderr__
        try:
            stream.fileno()
        except (AttributeError, OSError, ValueError):
            return None
        _dump_to.append(stream)
    return _dump_to[0]


def _arm(seconds: float) -> None:
    faulthandler.dump_traceback_later(backstop_after(seconds), exit=True, file=_dump_to[0])
    _armed[:] = [time.monotonic(), seconds]


@contextmanager
def backstop(seconds: float | None) -> Iterator[None]:
    """Around a group of `time_limit` blocks: end this process if one of them is stuck past
    `backstop_after(seconds)`; cancelled when the group ends (an idle worker waits for work unharmed)."""
    if not seconds or _armed or _dump_file() is None:
        yield
        return
    _arm(seconds)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        _armed.clear()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `TimedOut` here if the block runs longer than `seconds` (None or 0: no limit), and move an open
    `backstop` on so that it cannot end the block before `seconds` + 1 s.

    Only the main thread can take a signal; elsewhere (and where there is no SIGALRM) the block runs
    without a limit.
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    if _armed and time.monotonic() - _armed[0] > MOVE_EVERY:
        _arm(seconds)
    active = [True]

    def expired(_signum, _frame) -> None:
        if active[0]:  # not once the block has finished: the timer may fire just before it is cancelled
            raise TimedOut(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
