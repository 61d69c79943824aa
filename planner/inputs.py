"""Turning the paths a user names into the answers files to read.

A folder stands for every `*.json` file directly inside it, in sorted order,
so the same command over the same folder always reads files in one order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.answers import Answers, load_answers
from planner.errors import InvalidInput, Problem


@dataclass(frozen=True)
class Checked:
    """The outcome of reading one input: its answers, or every problem found."""

    source: str
    answers: Answers | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.answers is not None


def expand(paths: list[str]) -> list[str]:
    """Files as given; folders replaced by the `*.json` files inside them (sorted)."""
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(str(child) for child in sorted(p.glob("*.json")) if child.is_file())
        else:
            out.append(raw)
    return out


def check_file(path: str) -> Checked:
    try:
        return Checked(path, load_answers(path))
    except InvalidInput as exc:
        return Checked(path, None, tuple(exc.problems))


def check_files(paths: list[str]) -> list[Checked]:
    """Read every input; one bad file never stops the others."""
    files = expand(paths)
    empty = [Checked(p, None, (Problem(p, "", "the folder holds no .json files"),)) for p in paths
             if Path(p).is_dir() and not any(Path(p).glob("*.json"))]
    return [check_file(f) for f in files] + empty
