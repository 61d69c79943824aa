"""Plain language: every text a reader sees reads at grade 8 or below (Flesch-Kincaid, textstat).

Headings and labels under six words are left out: the formula scores a two-word
label like "Exercise cards" by its syllables alone, which says nothing about
how easy it is to read.
"""

from __future__ import annotations

import pytest

textstat = pytest.importorskip("textstat")

from conftest import TODAY, example_paths  # noqa: E402
from planner import resources  # noqa: E402
from planner.answers import load_answers  # noqa: E402
from planner.build import make_plan, shipped_rulebook  # noqa: E402
from planner.catalogue import shipped_catalogue  # noqa: E402
from planner.interview import REFERRAL_SAID  # noqa: E402
from planner.pdf import wording  # noqa: E402

MAX_GRADE = 8.0


def reader_texts() -> list[tuple[str, str]]:
    cat, book = shipped_catalogue(), shipped_rulebook()
    texts: list[tuple[str, str]] = []
    for e in cat.exercises.values():
        texts.append((f"catalogue/exercises/{e.id}.json: aim", e.aim))
        texts += [(f"catalogue/exercises/{e.id}.json: steps[{i}]", s) for i, s in enumerate(e.steps)]
        texts += [(f"catalogue/exercises/{e.id}.json: cautions[{i}]", s) for i, s in enumerate(e.cautions)]
        if e.progression:
            texts.append((f"catalogue/exercises/{e.id}.json: progression", e.progression["text"]))
    texts += [(f"catalogue/cautions.json: {c.id}", c.text) for c in cat.cautions.values()]
    texts += [(f"catalogue/advice.json: {a.id}[{i}]", p) for a in cat.advice.values() for i, p in enumerate(a.points)]
    texts += [(f"{r.source}: rule {r.id}", r.because) for r in book.rules.values()]
    texts += [(f"rules/settings.json: phase {p.id}", p.about) for p in book.phases]
    for name, value in vars(wording).items():
        if name.isupper():
            values = value if isinstance(value, tuple) else (value,)
            texts += [(f"planner/pdf/wording.py: {name}", v) for v in values]
    answers = resources.schema("answers")["properties"]
    for part in ("red_flags", "course"):  # the warning-sign questions and the course of the pain (version 2)
        texts += [(f"answers.schema.json: {part}.{k}", q["description"])
                  for k, q in answers[part]["properties"].items()]
    texts += [(f"planner/interview.py: REFERRAL_SAID[{k}]", v) for k, v in REFERRAL_SAID.items()]
    for path in example_paths():
        plan = make_plan(load_answers(path), TODAY)
        texts += [(f"plan notes for {path.name}", n.split(": ")[0] + ".") for n in plan.notes]
    return [(where, text) for where, text in texts if len(text.split()) >= 6]


def test_there_is_text_to_check():
    assert len(reader_texts()) > 200


def assert_plain(texts: list[tuple[str, str]]) -> None:
    """Every (where, text) reads at grade 8 or below; else each one too hard, with its grade (the check-in's
    texts are checked with this too)."""
    too_hard = [f"{where} (grade {textstat.flesch_kincaid_grade(text):.1f}): {text}"
                for where, text in texts if textstat.flesch_kincaid_grade(text) > MAX_GRADE]
    assert not too_hard, "Rewrite in shorter sentences and everyday words:\n" + "\n".join(too_hard)


def test_every_text_reads_at_grade_8_or_below():
    assert_plain(reader_texts())
