"""The stamp of the shipped data: which exact bytes were checked against which exact schemas.

Checking every shipped rule and catalogue file against its JSON Schema took a sixth of a one-file batch,
at every start, for files that do not change between runs. `planner/data/verified.json` records the
sha256 of each shipped file's bytes and of the schema it was checked against; it is written only after
every shipped file passed that check (`make stamp`), and `tests/test_verified.py` fails when it is stale.

A loader asks `checked` about the bytes it has just read. Only the exact stamped bytes, checked against
the exact stamped schema, skip the schema check: an edited shipped file, a changed schema, a missing or
broken stamp, or a clinic's own folder (`--rules`, `--catalogue`, PLAN_GEN_RULES) are checked in full.
A stale stamp can only cost time, never skip a check. The checks a schema cannot say (references,
ranges, ids) run every time whatever the stamp says. The stamp also vouches that the shipped rules refer
every warning sign (`planner.rules_check.unreferred_signs`): a rulebook read from exactly the stamped rule
files (`Rulebook.stamped`) is not checked for that again at start-up; any other one is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files

PACKAGE = "planner.data"
STAMP = "verified.json"
ABOUT = ("Written by `make stamp` after every shipped rule and catalogue file passed its schema check; "
         "tests/test_verified.py fails when this is stale. Do not edit by hand: a wrong entry only makes "
         "plan-gen check that file again.")

_recording: list[tuple[str, str, str, str]] | None = None  # set only while `fresh_stamp` runs


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def schema_digest(schema: dict) -> str:
    """The digest of a schema's content (key order aside), for schemas read from files and built in Python."""
    return sha256(json.dumps(schema, sort_keys=True, separators=(",", ":")).encode())


@cache
def _stamp() -> dict:
    """The shipped stamp, or an empty one when it is missing or unreadable (everything is then checked)."""
    try:
        stamp = json.loads((files(PACKAGE) / STAMP).read_bytes())
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def checked(name: str, raw: bytes, kind: str, schema_sha: str) -> bool:
    """True when the shipped file `name` holds exactly the bytes that passed schema `kind`, and that schema
    is unchanged since: the loader may then skip the schema check for this file."""
    if _recording is not None:
        _recording.append((name, kind, sha256(raw), schema_sha))
        return False
    stamp = _stamp()
    return (stamp.get("schemas", {}).get(kind) == schema_sha
            and stamp.get("files", {}).get(name) == {"schema": kind, "sha256": sha256(raw)})


def stamped_files(prefix: str) -> set[str]:
    """The names of the stamped files under `prefix` (`rules/`): a folder with one more or one less is not
    the stamped folder, even when every file in it is stamped."""
    return {name for name in _stamp().get("files", {}) if name.startswith(prefix)}


@contextmanager
def _recorded() -> Iterator[list[tuple[str, str, str, str]]]:
    global _recording
    _recording = []
    try:
        yield _recording
    finally:
        _recording = None


def fresh_stamp() -> dict:
    """Check every shipped rule and catalogue file in full, and that the rules refer every warning sign
    (DataError if any fails), and return their stamp."""
    from planner.catalogue import load_catalogue  # the loaders import this module
    from planner.rules import load_rulebook

    with _recorded() as seen:
        rulebook = load_rulebook(load_catalogue())
    _refers_every_sign(rulebook)
    return {
        "about": ABOUT,
        "schemas": {kind: schema_sha for _name, kind, _sha, schema_sha in sorted(seen)},
        "files": {name: {"schema": kind, "sha256": sha} for name, kind, sha, _schema_sha in sorted(seen)},
    }


def _refers_every_sign(rulebook) -> None:
    """A stamped rules folder is never checked for its warning-sign referrals again (planner/data_source.py),
    so the stamp is written only for shipped rules that refer every warning sign."""
    from planner.rules_check import refuse_unreferred

    refuse_unreferred(rulebook, "rules")


def stamp_text(stamp: dict) -> str:
    return json.dumps(stamp, indent=2, sort_keys=True) + "\n"
