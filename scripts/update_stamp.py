"""Check every shipped rule and catalogue file against its schema, then rewrite planner/data/verified.json.

Run after editing a shipped rule or catalogue file, or a schema (`make stamp`). Nothing is written when a
file fails its check: the errors are printed and the exit code is 1. With --check, only say whether the
stamp is current (exit 1 when stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

from planner import verified
from planner.errors import DataError

STAMP = Path(__file__).resolve().parent.parent / "planner" / "data" / verified.STAMP


def main(argv: list[str]) -> int:
    try:
        text = verified.stamp_text(verified.fresh_stamp())
    except DataError as exc:
        print(f"not stamped: the shipped data has problems\n{exc}", file=sys.stderr)
        return 1
    old = STAMP.read_text(encoding="utf-8") if STAMP.exists() else ""
    if "--check" in argv:
        print(f"{STAMP}: {'current' if text == old else 'stale; run make stamp'}")
        return 0 if text == old else 1
    if text != old:
        STAMP.write_text(text, encoding="utf-8")
    print(f"{STAMP}: {'rewritten' if text != old else 'already current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
