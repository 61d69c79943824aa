"""The clinic on the page (--clinic): the loader reports every problem at once, the logo is checked, and the
clinic's details print escaped on the cover and on referral pages; without a file the cover has lines to fill in."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import struct
import zlib

import pytest
from pypdf import PdfReader

from conftest import TODAY, answers_with, example_paths
from planner.answers import check_answers
from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.cli import cli
from planner.clinic import MAX_LOGO_BYTES, MAX_LOGO_SIDE, load_clinic
from planner.errors import InvalidInput
from planner.pdf import clinic_block
from planner.pdf.render import render_pdf

MARKUP_NAME = "Tom <b>&</b> Ψυχή Клиника"
CLINICIAN = "Dr Ελένη Παπαδοπούλου & Иван <i>Петров</i>"


def png(width: int = 40, height: int = 20) -> bytes:
    """A real, tiny PNG (one grey row repeated), made without an image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def write_clinic(tmp_path, image: bytes | None = None, **fields) -> str:
    data = {"clinic_name": MARKUP_NAME, "phone": "+30 210 555 0100", "address": "12 Harbour Road\nPiraeus 185 37",
            "clinician": CLINICIAN, "note": "Start gently. Call us if the pain spreads down a leg. <img src='x'/>",
            "review_date": "2027-02-15", **fields}
    if image is not None:
        (tmp_path / "logo.png").write_bytes(image)
        data["logo"] = "logo.png"
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def flat_text(data: bytes, pages: slice = slice(None)) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages[pages]))


def test_a_clinic_file_loads_with_its_logo_relative_to_the_file(tmp_path):
    clinic = load_clinic(write_clinic(tmp_path, image=png()))
    assert clinic.name == MARKUP_NAME and clinic.clinician == CLINICIAN
    assert clinic.review_date == dt.date(2027, 2, 15)
    assert clinic.logo is not None and (clinic.logo.width, clinic.logo.height) == (40, 20)


def test_every_problem_is_reported_at_once_with_the_file_and_field(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"GIF89a not a png")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"clinic_name": "", "phone": "call me", "review_date": "2027-02-30",
                                "logo": "logo.png", "fax": "1"}), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_clinic(path)
    where = {p.location for p in caught.value.problems}
    assert where == {"clinic_name", "phone", "review_date", "logo", "fax"}
    assert all(p.source == str(path) for p in caught.value.problems)
    assert "not a PNG or JPEG" in str(caught.value) and "not a real date" in str(caught.value)
    assert "got 'call me'; allowed: 3 to 30 characters: digits, spaces" in str(caught.value)


@pytest.mark.parametrize(("logo", "says"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_LOGO_BYTES, "larger than"),
    (png(MAX_LOGO_SIDE + 1, 1), "pixels a side"),
    (b"\x89PNG\r\n\x1a\n" + b"garbage", "cannot be read"),
    (b"%PDF-1.4 a pdf, not an image", "not a PNG or JPEG"),
])
def test_a_logo_that_is_too_big_or_not_an_image_is_refused(tmp_path, logo, says):
    with pytest.raises(InvalidInput, match=says):
        load_clinic(write_clinic(tmp_path, image=logo))


def test_a_missing_logo_is_named(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        load_clinic(write_clinic(tmp_path, logo="gone.png"))


def test_batch_with_a_bad_clinic_file_exits_1_and_writes_nothing(runner, tmp_path):
    bad = write_clinic(tmp_path, image=b"not an image at all")
    result = runner.invoke(cli, ["batch", str(example_paths()[0]), "-o", str(tmp_path / "out"), "-j", "1",
                                 "--clinic", bad])
    assert result.exit_code == 1
    assert f"{bad}: at logo:" in result.output and "not a PNG or JPEG" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_interview_checks_the_clinic_file_before_asking_anything(runner, tmp_path):
    result = runner.invoke(cli, ["interview", "--clinic", str(tmp_path / "none.json")], input="")
    assert result.exit_code == 1 and "no such file" in result.output
    assert "?" not in result.output.split("Error")[0]  # no question was asked first


def test_clinic_prints_escaped_on_the_cover_with_the_logo(runner, tmp_path):
    clinic = load_clinic(write_clinic(tmp_path, image=png()))
    plan = make_plan(check_answers(answers_with(name="Сергей <b>Иванов</b>"), "x.json"), TODAY)
    data, warnings = render_pdf(plan, shipped_catalogue(), clinic=clinic)
    cover = flat_text(data, slice(0, 1))
    assert f"Questions? Call {MARKUP_NAME} on +30 210 555 0100." in cover
    assert CLINICIAN in cover and "<img src='x'/>" in cover and "Monday 15 February 2027" in cover
    assert "12 Harbour Road, Piraeus 185 37" in cover
    assert clinic_block.WRITE_IN not in cover and warnings == []
    assert b"/Subtype /Image" in data


@pytest.mark.parametrize("status", ["see_professional", "urgent_care"])
def test_referral_pages_say_who_to_call(tmp_path, status):
    clinic = load_clinic(write_clinic(tmp_path))
    flag = "red_flags.cancer_history" if status == "see_professional" else "red_flags.saddle_numbness"
    plan = make_plan(check_answers(answers_with(**{flag: True}), "x.json"), TODAY)
    assert plan.status == status
    data, _ = render_pdf(plan, shipped_catalogue(), clinic=clinic)
    page = flat_text(data, slice(0, 1))
    assert f"Questions? Call {MARKUP_NAME} on +30 210 555 0100." in page
    # Emergency care first: with warning signs the clinic comes after the steps to get help now.
    assert (page.index("Questions? Call") > page.index("What to do next")) == (status == "urgent_care")
    # The plan's note (it may say how to exercise) and review date (weeks away) are not on a referral.
    assert "Start gently" not in page and "Come back for a check" not in page and "15 February" not in page


def test_without_a_clinic_the_cover_has_lines_to_fill_in():
    plan = make_plan(check_answers(answers_with(), "x.json"), TODAY)
    data, _ = render_pdf(plan, shipped_catalogue())
    cover = flat_text(data, slice(0, 1))
    assert "Your clinic" in cover and clinic_block.WRITE_IN in cover and "Questions? Call" not in cover
    for label in ("Clinic:", "Phone:", "Clinician:", "Review date:", "Notes:"):
        assert label in cover


def test_clinic_schema_is_printed_by_the_schema_command(runner):
    result = runner.invoke(cli, ["schema", "clinic"])
    assert result.exit_code == 0 and json.loads(result.output)["required"] == ["clinic_name", "phone"]


def test_clinic_box_words_read_at_grade_8_or_below():
    textstat = pytest.importorskip("textstat")
    assert textstat.flesch_kincaid_grade(clinic_block.WRITE_IN) <= 8.0
