"""Shared fixtures: the repository's folders, a CLI runner and valid sample answers."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SOURCES = REPO.parent / "shared" / "sources"


def in_ci(env: Mapping[str, str]) -> bool:
    """Whether tests run in CI: the CI variable is set, to any value (`.ci/run` sets it, as hosted CI services do;
    Hypothesis reads it the same way)."""
    return "CI" in env


# In CI every run draws the same examples (derandomize, no example database: a fresh checkout has none anyway),
# so a red build is red again when rerun and a green one is not luck; a failure prints the blob that replays it.
# No deadline and no too-slow health check there either: both depend on how busy the machine is. These are the
# values of the "ci" profile recent Hypothesis loads itself; set here, they hold whatever version is installed.
# Local runs keep the default profile: random, so each run explores new examples, and a failure found is saved
# in .hypothesis/ and replayed. Loaded here, before any test module is imported, because a test's own
# @settings(...) takes every value it does not name from the profile loaded when it is made.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
if in_ci(os.environ):
    settings.load_profile("ci")

NO_RED_FLAGS = {
    "bladder_or_bowel_change": False,
    "saddle_numbness": False,
    "leg_weakness_worsening": False,
    "fever_or_unwell": False,
    "unexplained_weight_loss": False,
    "cancer_history": False,
    "recent_fall_or_injury": False,
    "constant_night_pain": False,
}

BASE_ANSWERS_V1 = {
    "schema_version": 1,
    "age": 40,
    "pain": {"level": 3, "duration_weeks": 4, "below_knee": False, "worse_with": []},
    "red_flags": NO_RED_FLAGS,
    "posture": {"sitting_hours": 4, "slouching": "rarely", "lifting": "rarely"},
    "equipment": [],
    "floor_ok": True,
    "activity_level": "moderate",
}

# Questionnaire version 2: every warning sign answered no, a recurring bout that is getting better.
NO_RED_FLAGS_V2 = {
    **{k: v for k, v in NO_RED_FLAGS.items() if k != "fever_or_unwell"},
    "fever": False,
    "urine_sensation_change": False,
    "sexual_function_change": False,
    "both_legs": False,
    "numbness_spreading": False,
    "infection_risk": False,
    "recent_infection": False,
    "upper_back_pain": False,
    "osteoporosis_or_steroids": False,
    "minor_fall": False,
    "leg_weakness_marked": False,
}

BASE_ANSWERS = {
    **BASE_ANSWERS_V1,
    "schema_version": 2,
    "red_flags": NO_RED_FLAGS_V2,
    "course": {"first_episode": False, "improving": True, "examined": False},
}


@pytest.fixture
def rules_copy(tmp_path) -> Path:
    """An editable copy of the shipped rule files, as a clinician would have."""
    import shutil

    target = tmp_path / "rules"
    shutil.copytree(REPO / "rules", target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


def add_rule(rules_dir: Path, file: str, rule: dict) -> None:
    """Append one rule to a rule file, as a clinician editing it would."""
    path = rules_dir / file
    data = json.loads(path.read_text())
    data["rules"].append(rule)
    path.write_text(json.dumps(data))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def base_answers() -> dict:
    """A fresh, valid, minimal answers object each test may change."""
    return copy.deepcopy(BASE_ANSWERS)


@pytest.fixture
def write_json(tmp_path):
    """Write an object (or raw text/bytes) to a file in tmp_path and return its path."""

    def write(name: str, content) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json"))


TODAY = __import__("datetime").date(2026, 11, 26)


def answers_with(**changes) -> dict:
    """BASE_ANSWERS with dotted-path changes, e.g. answers_with(**{"pain.level": 8})."""
    data = copy.deepcopy(BASE_ANSWERS)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return data
