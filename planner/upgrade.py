"""Questionnaire version 1 -> version 2, in memory and as files (`plan-gen upgrade`).

Version 1 asked eight warning signs; version 2 asks more (docs/triage.md).
A version 1 person was never asked the new ones, so an upgrade never turns
silence into "no": every question they were not asked is listed in
`not_asked`, its answer holds a placeholder (false for a warning sign; the
cautious choice for how the pain has gone), and the plan names each one and
asks the reader to check it. `plan-gen interview --answers` asks them again.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner import resources
from planner.errors import InvalidInput, Problem
from planner.jsonio import canonical_json, read_json_file, write_atomic
from planner.validation import Check, checker, schema_problems
from planner.vocabulary import COURSE, NOT_ASKED

CURRENT = 2

# Version 1's "fever, chills or feeling unwell" becomes version 2's fever: a "yes" is read as a fever
# (the more cautious reading); a "no" covered fever too, so fever counts as asked.
RENAMED = {"fever_or_unwell": "fever"}
# The cautious answers for the course of the pain when it was never asked: a first bout that is not
# getting better and has not been checked, so the "see a professional soon" cautions still apply.
COURSE_PLACEHOLDERS = {"first_episode": True, "improving": False, "examined": False}


def version_of(data: Any) -> Any:
    return data.get("schema_version") if isinstance(data, dict) else None


def upgrade_v1(data: dict, *, fill_unasked: bool = True) -> dict:
    """A version 2 copy of version 1 answers. With `fill_unasked`, the questions never asked get their
    placeholders and are listed in `not_asked`; without, they are left out (for the interview to ask)."""
    out = copy.deepcopy(data)
    out["schema_version"] = CURRENT
    flags = out.get("red_flags")
    if isinstance(flags, dict):
        out["red_flags"] = {RENAMED.get(k, k): v for k, v in flags.items()}
    if fill_unasked:
        flags = out.setdefault("red_flags", {})
        for name in NOT_ASKED:
            if name in COURSE:
                out.setdefault("course", {}).setdefault(name, COURSE_PLACEHOLDERS[name])
            else:
                flags.setdefault(name, False)
        out["not_asked"] = list(NOT_ASKED)
    return out


def to_current(data: Any, source: str) -> Any:
    """Answers as version 2: a version 1 file is checked against its own contract, then upgraded.
    Anything else is returned as it is, for the version 2 check to judge."""
    if version_of(data) != 1:
        return data
    problems = schema_problems(data, resources.shared_schema("answers.v1"), source, check=_v1_check())
    if problems:
        raise InvalidInput(problems)
    return upgrade_v1(data)


@functools.cache
def _v1_check() -> Check:
    """The quick check of the version 1 schema, made once: a batch of version 1 files checks each against it."""
    return checker(resources.shared_schema("answers.v1"))


def partial_to_current(data: Any) -> Any:
    """Partial answers for the interview to complete: a version 1 file is upgraded without placeholders,
    and questions a file lists as never asked are dropped, so the interview asks them."""
    if version_of(data) == 1:
        return upgrade_v1(data, fill_unasked=False)
    if isinstance(data, dict) and isinstance(data.get("not_asked"), list):
        data = copy.deepcopy(data)
        for name in data.pop("not_asked"):
            section = data.get("course" if name in COURSE else "red_flags")
            if isinstance(section, dict):
                section.pop(name, None)
    return data


@dataclass(frozen=True)
class Upgraded:
    source: str
    target: str | None  # None: nothing written
    message: str


def target_for(path: Path, out_dir: Path | None) -> Path:
    """`answers.json` -> `answers.v2.json` beside it, or `OUT_DIR/answers.json`."""
    return out_dir / path.name if out_dir else path.with_name(f"{path.stem}.v2{path.suffix or '.json'}")


def upgrade_file(path: Path, out_dir: Path | None, overwrite: bool) -> Upgraded:
    """Upgrade one answers file; raises `InvalidInput` when it is not valid version 1 or 2 answers."""
    data = read_json_file(path)
    source = str(path)
    version = version_of(data)
    if version == CURRENT:
        from planner.answers import repeated_activities  # here: planner.answers imports this module

        problems = schema_problems(data, resources.schema("answers"), source) or repeated_activities(data, source)
        if problems:
            raise InvalidInput(problems)
        return Upgraded(source, None, "already version 2; nothing written")
    if version != 1:
        raise InvalidInput([Problem(source, "schema_version", f"is {version!r}; plan-gen upgrade reads version 1")])
    upgraded = to_current(data, source)
    problems = schema_problems(upgraded, resources.schema("answers"), source)
    if problems:  # a bug, not the user's: the upgrade must always give valid version 2 answers
        raise AssertionError(f"upgrade of {source} gave invalid version 2 answers: {problems[0]}")
    target = target_for(path, out_dir)
    if target.resolve() == path.resolve() and not overwrite:
        raise InvalidInput([Problem(source, "", "the upgraded file would replace it; add --overwrite to allow that")])
    if target.exists() and not overwrite:
        raise InvalidInput([Problem(source, "", f"{target} already exists; add --overwrite to replace it")])
    write_atomic(target, canonical_json(upgraded).encode("utf-8"))
    asked = len(NOT_ASKED)
    return Upgraded(source, str(target), f"written as version 2 to {target}; {asked} questions marked as not asked")
