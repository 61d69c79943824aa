"""The one family of errors plan-gen raises on purpose.

Every error a user can cause (a bad answers file, a broken rule or catalogue
file) is a `PlanGenError`; the CLI turns it into a message and an exit code in
one place (`planner.cli`), so no traceback ever reaches a user.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input: where it is and what is allowed."""

    source: str
    location: str
    message: str

    def __str__(self) -> str:
        if self.location:
            return f"{self.source}: at {self.location}: {self.message}"
        return f"{self.source}: {self.message}"


class PlanGenError(Exception):
    """Base of every error plan-gen reports to a user (exit code 1)."""

    exit_code = 1


class InvalidInput(PlanGenError):
    """An input (answers, catalogue or rule file) breaks its contract.

    Carries every problem found, not just the first, so a user fixes a file
    in one pass.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DataError(InvalidInput):
    """A shipped or edited data file (catalogue, rules) is broken."""


class OutputError(PlanGenError):
    """A file could not be written (permission, read-only, disk full, not a folder): the user can fix it."""

    def __init__(self, message: str, disk_full: bool = False):
        self.disk_full = disk_full
        super().__init__(message)


class EngineError(PlanGenError):
    """The rules engine failed in a way the input cannot explain."""


class TimedOut(BaseException):
    """One input ran longer than its time limit (`--timeout`); batch reports it against that input (exit 3).

    A BaseException, as KeyboardInterrupt is: a timer raises it wherever the input is stuck, and it must
    pass every `except Exception` between there and batch, which would otherwise report a bug or go on.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"took longer than {seconds:g} s")
