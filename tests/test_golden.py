"""Golden files: the plan JSON of every example, reviewed by a person when it changes.

The comparison leaves out version and digest fields (tests/golden_plans.py).
To accept a deliberate change, run `python scripts/update_goldens.py` (or
`make goldens`), read the diff it prints, and commit it with the change.
"""

from __future__ import annotations

import pytest

from conftest import TODAY, example_paths
from golden_plans import GOLDEN, golden_text


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_example_plan_matches_golden(path):
    golden = GOLDEN / f"{path.stem}.json"
    assert golden.exists(), f"no golden file for {path.name}; create it with scripts/update_goldens.py"
    assert golden_text(path, TODAY) == golden.read_text(encoding="utf-8")


def test_goldens_hold_no_versions():
    assert all('"versions"' not in p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.json"))
