"""Plain language in check-ins: every check-in rule reason and tip, the check-in questions, the texts the
next block prints and the check-in page read at grade 8 or below (as tests/test_wording.py does for the plan)."""

from __future__ import annotations

import pytest

textstat = pytest.importorskip("textstat")

from test_wording import assert_plain  # noqa: E402

from planner import next_block  # noqa: E402
from planner.checkin import checkin_schema, shipped_checkin_rules  # noqa: E402
from planner.pdf import checkin_form, checkin_pages  # noqa: E402


def checkin_texts() -> list[tuple[str, str]]:
    texts = []
    for r in shipped_checkin_rules().rules.values():
        texts.append((f"{r.source}: rule {r.id}", r.because))
        for action in r.then:
            texts += [(f"{r.source}: rule {r.id}: tip", t) for t in action.get("next_block", {}).get("tips", [])]

    def walk(node: dict, where: str) -> None:
        if "description" in node:
            texts.append((f"checkin.schema.json: {where}", node["description"]))
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{where}.{name}".lstrip("."))
        if isinstance(node.get("items"), dict):
            walk(node["items"], where + "[]")

    walk(checkin_schema(), "")
    texts += [(f"planner/next_block.py: TEXTS[{k}]", v.format(old="Pelvic tilt", new="Knee rolls", signs="a fall"))
              for k, v in next_block.TEXTS.items()]
    for module in (checkin_pages, checkin_form):
        texts += [(f"{module.__name__}: {n}", v) for n, v in vars(module).items() if n.isupper() and isinstance(v, str)]
    return [(where, text) for where, text in texts if len(text.split()) >= 6]


def test_there_is_checkin_text_to_check():
    assert len(checkin_texts()) > 30


def test_every_checkin_text_reads_at_grade_8_or_below():
    assert_plain(checkin_texts())
