"""Golden files: the plan JSON of every example, reviewed by a person when it changes.

To accept a deliberate change, run `PLAN_GEN_UPDATE_GOLDEN=1 pytest tests/test_golden.py`
and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import os

import pytest

from conftest import REPO, TODAY, example_paths
from planner.answers import load_answers
from planner.build import make_plan
from planner.render_json import plan_json

GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_example_plan_matches_golden(path):
    text = plan_json(make_plan(load_answers(path), TODAY))
    golden = GOLDEN / f"{path.stem}.json"
    if os.environ.get("PLAN_GEN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file for {path.name}; create it with PLAN_GEN_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")
