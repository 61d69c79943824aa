"""Tasks for tests/test_batch_timeout.py that batch's worker processes can import: a monkeypatch in the
test process never reaches a worker, which the fork server starts from a fresh interpreter."""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from pathlib import Path

from planner.batch import Outcome
from planner.inputs import Record
from planner.jsonio import write_atomic


@dataclass(frozen=True)
class Note:
    """Writes `<stem>.txt`; `deaf` first makes the process deaf to the timer (SIGALRM blocked), then waits:
    stuck as code inside a compiled library is, where the watchdog's first stage cannot reach."""

    record: Record
    out_dir: str
    deaf: bool = False

    def make(self, staged=None, group=None) -> Outcome:
        if self.deaf:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(600)
        target = Path(self.out_dir) / f"{self.record.stem}.txt"
        write_atomic(target, self.record.stem.encode())
        return Outcome(self.record.source, "plan", (str(target),))


def notes(out_dir: str, count: int, deaf: int) -> list[Note]:
    return [Note(Record(f"n{i}", f"n{i}", ""), out_dir, deaf=i == deaf) for i in range(count)]
