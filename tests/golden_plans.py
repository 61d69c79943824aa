"""The golden plans: each example's plan JSON without its version and digest fields.

Versions and digests change with any edit to the rules or catalogue, so a
golden that held them would have to be regenerated for every change, safe or
not, and regenerating would bless whatever else changed with them. Without
them, a golden changes only when a plan does. `scripts/update_goldens.py`
rewrites them and prints the diff to review.
"""

from __future__ import annotations

from pathlib import Path

from planner.answers import load_answers
from planner.build import make_plan
from planner.jsonio import canonical_json
from planner.render_json import plan_to_dict

GOLDEN = Path(__file__).resolve().parent / "golden"
LEFT_OUT = ("versions",)


def golden_text(example: Path, today) -> str:
    data = plan_to_dict(make_plan(load_answers(example), today))
    for key in LEFT_OUT:
        data.pop(key, None)
    return canonical_json(data)
