"""Rewrite tests/golden/ from the examples and print what changed, for review.

Run after a deliberate change to plans: `python scripts/update_goldens.py`
(or `make goldens`). Read the diff: it must show what you meant and nothing
else. The test run itself never rewrites a golden.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from conftest import TODAY, example_paths  # noqa: E402
from golden_plans import GOLDEN, golden_text  # noqa: E402


def main() -> int:
    changed = 0
    for example in example_paths():
        target = GOLDEN / f"{example.stem}.json"
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        new = golden_text(example, TODAY)
        if new == old:
            continue
        changed += 1
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                                   f"a/tests/golden/{target.name}", f"b/tests/golden/{target.name}"))
        target.write_text(new, encoding="utf-8")
    print(f"{changed} golden file(s) rewritten; review the diff above before committing." if changed
          else "Every golden file already matches.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
