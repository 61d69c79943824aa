"""The printed plan: its text, safety pages, escaping, fonts and reproducibility (read back with pypdf)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from conftest import TODAY, answers_with, example_paths
from planner.answers import check_answers, load_answers
from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.pdf.fonts import BOLD, REGULAR, missing_glyphs
from planner.pdf.plan_pages import dose_line
from planner.pdf.render import render_pdf
from planner.pdf.styles import MARGIN, PAGE_SIZES
from planner.pdf.text import dose_text


def pdf_for(large_print=False, page_size="a4", **changes):
    plan = make_plan(check_answers(answers_with(**changes), "x.json"), TODAY)
    data, warnings = render_pdf(plan, shipped_catalogue(), page_size=page_size, large_print=large_print)
    return plan, data, warnings


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def office():
    return pdf_for(**{"name": "Dana Whitfield", "posture.sitting_hours": 9, "posture.slouching": "often",
                      "equipment": ["chair", "wall"], "plan.weeks": 6})


def test_plan_text_holds_name_weeks_exercises_doses_and_cautions(office):
    plan, data, warnings = office
    text = flat(text_of(data))
    assert warnings == []
    assert "Dana Whitfield" in text
    for week in plan.weeks:
        assert f"Week {week.number}" in text
    for c in plan.exercises:
        assert c.name in text
        for dose in c.weekly_doses:  # every week's dose is in the routine tables, written one way
            assert flat(dose_line(dose.dose, c.rest_seconds)) in text, (c.id, dose_line(dose.dose, c.rest_seconds))
    for caution in plan.cautions:
        assert flat(caution.text) in text
    assert "Get help now" in text or "get help now" in text
    assert "Your calendar and log" in text


def test_every_page_has_page_x_of_y_and_the_disclaimer(office):
    _, data, _ = office
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = flat(page.extract_text())
        assert f"Page {number} of {total}" in text
        assert "not a diagnosis" in text
        assert "Plan from Monday 30 November 2026" in text


def test_metadata_and_outline(office):
    plan, data, _ = office
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Back exercise plan for Dana Whitfield"
    assert reader.metadata.author == "plan-gen"
    assert "lower back pain" in reader.metadata.subject
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    assert {"Before you start", "Your routines", "Your calendar and log", "Exercise cards"} <= set(top)
    children = next(o for o in reader.outline if isinstance(o, list))
    assert {c.title for c in children} == {c.name for c in plan.exercises}


def test_every_bookmark_opens_the_page_its_heading_is_on(office):
    """A bookmark said where a section or card is but opened page 1: the pages were held back for
    'page X of Y', so every destination named the first page."""
    _, data, _ = office
    reader = PdfReader(io.BytesIO(data))
    texts = [flat(p.extract_text()) for p in reader.pages]

    def entries(outline):
        for o in outline:
            yield from entries(o) if isinstance(o, list) else [o]

    pages = []
    for o in entries(reader.outline):
        page = reader.get_destination_page_number(o)
        assert o.title in texts[page] or (o.title, page) == ("Your plan", 0), (o.title, page + 1)
        pages.append(page)
    assert pages == sorted(pages) and pages[-1] == len(texts) - 1  # in reading order, the last on the last page


def test_exercise_cards_stay_on_one_page(office):
    plan, data, _ = office
    reader = PdfReader(io.BytesIO(data))
    texts = [flat(p.extract_text()) for p in reader.pages]
    for c in plan.exercises:
        ex = shipped_catalogue().exercises[c.id]
        pages = [i for i, t in enumerate(texts) if f"Aim: {flat(ex.aim)}" in t]
        assert len(pages) == 1, c.id
        assert flat(ex.steps[-1]) in texts[pages[0]], f"{c.id}: the card is split across pages"


def test_same_answers_same_bytes(office):
    _, again, _ = pdf_for(**{"name": "Dana Whitfield", "posture.sitting_hours": 9, "posture.slouching": "often",
                             "equipment": ["chair", "wall"], "plan.weeks": 6})
    assert again == office[1]


def test_source_date_epoch_sets_the_creation_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    _, data, _ = pdf_for()
    assert PdfReader(io.BytesIO(data)).metadata["/CreationDate"].startswith("D:20261126")


def test_referral_holds_no_exercise_and_names_the_answers():
    plan, data, _ = pdf_for(**{"red_flags.saddle_numbness": True, "name": "Chris"})
    text = flat(text_of(data))
    assert "Get emergency care now" in text
    assert "numbness around your groin or bottom" in text
    for ex in shipped_catalogue().exercises.values():
        assert ex.name not in text
    assert len(PdfReader(io.BytesIO(data)).pages) <= 2


def test_see_professional_referral():
    _, data, _ = pdf_for(**{"red_flags.cancer_history": True})
    text = flat(text_of(data))
    assert "Please see a doctor before you exercise" in text
    assert "have or have had cancer" in text


@pytest.mark.parametrize("changes", [{}, {"red_flags.saddle_numbness": True}, {"pregnant": True}],
                         ids=["plan", "urgent_referral", "referral"])
def test_markup_in_a_name_prints_literally(changes):
    name = 'Tom & "Jerry" <b>O\'Neil</b> <img src="/etc/passwd"/>'
    _, data, warnings = pdf_for(name=name, **changes)
    assert warnings == []
    assert name in flat(text_of(data))


@pytest.mark.parametrize("name", ["Zoë Łukasiewicz-Øster", "Çağla Şimşek Ğü", "Dvořák Žofie Ťáňa", "Ελένη Παπαδοπούλου",
                                  "Сергей Иванов", "Åsa Ærø Þórunn"])
def test_names_in_latin_greek_and_cyrillic_print(name):
    assert missing_glyphs(name) == []
    _, data, warnings = pdf_for(name=name)
    assert warnings == []
    assert name in text_of(data)


def test_unsupported_script_warns_instead_of_boxes():
    _, data, warnings = pdf_for(name="王小明")
    assert warnings == ["the name has characters the PDF font cannot show (王小明); they print as '?'. "
                        "The font covers Latin, Greek and Cyrillic scripts."]
    assert "For ???" in text_of(data)


def test_more_weeks_more_pages():
    counts = [len(PdfReader(io.BytesIO(pdf_for(**{"plan.weeks": w})[1])).pages) for w in (2, 6, 12)]
    assert counts[0] < counts[1] < counts[2]


def _chars_by_size(data: bytes) -> dict[float, int]:
    """How many characters the PDF prints at each font size (read from its text operators)."""
    sizes: dict[float, int] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            key = round(size * tm[0], 1)
            sizes[key] = sizes.get(key, 0) + len(text.strip())

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize(("large", "body"), [(False, 12.0), (True, 14.0)])
def test_body_text_is_at_least_12_or_14_point(large, body):
    """Body text is the size most characters print at; only the footer and calendar cells are smaller."""
    sizes = _chars_by_size(pdf_for(large_print=large, **{"posture.slouching": "often"})[1])
    assert max(sizes, key=sizes.get) == body
    smaller = {s for s in sizes if s < body}
    assert smaller <= {body - 3, body - 1}, sizes  # the footer, and the calendar's day cells


def test_letter_page_size():
    _, data, _ = pdf_for(page_size="letter")
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_first_pdf_of_a_process_can_be_an_unnamed_referral(tmp_path):
    """Regression: styles used the embedded font before anything had registered it."""
    import subprocess
    import sys

    code = (
        "import datetime as dt; from conftest import answers_with; from planner.answers import check_answers; "
        "from planner.build import make_plan; from planner.catalogue import shipped_catalogue; "
        "from planner.pdf.render import render_pdf; "
        "a = check_answers(answers_with(**{'red_flags.saddle_numbness': True}), 'x'); "
        "data, _ = render_pdf(make_plan(a, dt.date(2026, 11, 26)), shipped_catalogue()); print(len(data))"
    )
    tests = str(__import__("pathlib").Path(__file__).parent)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tests)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 1000


def text_runs(data: bytes) -> list[tuple[int, float, float, float, str]]:
    """Every piece of text drawn: (page, left x, baseline y, right x, text), in points from the page's corner.

    pypdf gives each run's start and size; its width is measured with the same font metrics reportlab used.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        def visit(text, cm, tm, font, size, number=number):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (cm[0] ** 2 + cm[1] ** 2) ** 0.5 * (tm[0] ** 2 + tm[1] ** 2) ** 0.5
            face = BOLD if "Bold" in str((font or {}).get("/BaseFont", "")) else REGULAR
            runs.append((number, x, y, x + stringWidth(text.rstrip(), face, size) * scale, text.strip()))
        page.extract_text(visitor_text=visit)
    return runs


EXAMPLE_PLANS = {path.stem: make_plan(load_answers(path), TODAY) for path in example_paths()}
LAYOUTS = [(size, large) for size in ("a4", "letter") for large in (False, True)]


@pytest.mark.parametrize(("page_size", "large_print"), LAYOUTS)
@pytest.mark.parametrize("example", sorted(EXAMPLE_PLANS))
def test_no_text_lies_outside_the_page_margins(example, page_size, large_print):
    """Inside the side and top margins everywhere; the footer sits in the bottom margin, 10 mm clear of the edge."""
    data, _ = render_pdf(EXAMPLE_PLANS[example], shipped_catalogue(), page_size=page_size, large_print=large_print)
    width, height = PAGE_SIZES[page_size]
    runs = text_runs(data)
    assert len(runs) > 20
    outside = [run for run in runs if run[1] < MARGIN - 0.5 or run[3] > width - MARGIN + 0.5
               or run[2] > height - MARGIN or run[2] < 10 / 25.4 * 72]
    assert outside == []


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_large_print_never_splits_a_date_or_a_dose_phrase_across_lines(page_size):
    plan = EXAMPLE_PLANS["warehouse_worker"]
    data, _ = render_pdf(plan, shipped_catalogue(), page_size=page_size, large_print=True)
    text = text_of(data)
    months = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    assert re.search(rf"\b\d{{1,2}}\s({months})\b", text)  # the calendar's dates are there
    assert not re.search(rf"\b\d{{1,2}}\n({months})\b", text)
    assert re.search(r"each\sside", text)  # the dose phrases are there
    assert not re.search(r"\beach\nside|\bhold\n\d|\bsets\nof|\bof\n\d|\b\d+\n(times|min|s|sets)\b", text)


def test_a_narrow_dose_cell_wraps_between_phrases_only():
    from planner.model import Dose
    from planner.pdf.styles import make_styles
    from planner.pdf.text import NBSP, Para, esc

    st = make_styles(True)
    for dose in (Dose(sets=2, reps=10, hold_seconds=5, per_side=True),
                 Dose(sets=3, reps=None, hold_seconds=30, per_side=True)):
        text = dose_text(dose)
        phrases = set(text.replace(NBSP, " ").split(", "))
        for ems in (9, 11, 13):  # narrow enough to wrap, wide enough for each phrase
            cell = Para(esc(text), st.cell)
            cell.wrap(st.size * ems, 1000)
            lines = [" ".join(words).replace(NBSP, " ").strip(" ,") for _, words in cell.blPara.lines]
            assert len(lines) > 1
            assert all(set(line.split(", ")) <= phrases for line in lines), lines
