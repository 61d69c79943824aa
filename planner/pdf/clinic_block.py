"""The clinic on the page: its details on the cover and referral pages, or lines to write them by hand.

Every string here comes from the clinic file a user wrote, so each goes through `para`/`labelled`, which
escape it: a name like 'Tom <b>&</b>' prints as typed.
"""

from __future__ import annotations

import io
from dataclasses import replace

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Spacer, Table, TableStyle

from planner.clinic import Clinic
from planner.pdf.fonts import printable
from planner.pdf.styles import ACCENT, RULE, Styles
from planner.pdf.text import Para, esc, keep_together, labelled, long_date, para

HEADING = "Your clinic"
WRITE_IN = "Ask your clinic to fill this in, or write it in yourself."
WRITE_IN_ROWS = (("Clinic", "Phone"), ("Clinician", "Review date"))
LOGO_HEIGHT = 16 * mm
ROW = 9 * mm  # a handwritten line needs at least 9 mm


def questions(clinic: Clinic) -> str:
    """'Questions? Call <clinic> on <phone>.' (plain text; escaped where it is printed). The number never
    breaks over two lines: '+44' at a line's end and the rest below is easy to dial wrong."""
    return f"Questions? Call {clinic.name} on {keep_together(clinic.phone)}."


def _boxed(table: Table, st: Styles, extra: list | None = None) -> Table:
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), st.size * 0.6),
                               ("RIGHTPADDING", (0, 0), (-1, -1), st.size * 0.6), ("TOPPADDING", (0, 0), (-1, 0), 6),
                               ("BOTTOMPADDING", (0, -1), (-1, -1), 6)] + (extra or [])))
    return table


def _logo(clinic: Clinic, width: float) -> Image:
    assert clinic.logo is not None
    w, h = clinic.logo.width, clinic.logo.height
    height = min(LOGO_HEIGHT, width * h / w)
    return Image(io.BytesIO(clinic.logo.data), width=height * w / h, height=height, hAlign="LEFT")


def clinic_details(clinic: Clinic, st: Styles, width: float) -> KeepTogether:
    """The clinic's box, kept compact for the cover: name and logo, who to call, clinician, review, note."""
    half = width / 2
    rows: list[list] = [[para(clinic.name, st.h2), _logo(clinic, half - st.size * 1.2) if clinic.logo else ""],
                        [para(questions(clinic), st.bold), ""]]
    spans = [("SPAN", (0, 1), (-1, 1))] + ([] if clinic.logo else [("SPAN", (0, 0), (-1, 0))])
    pairs = [labelled("Your clinician:", clinic.clinician, st.small) if clinic.clinician else "",
             labelled("Come back for a check on:", keep_together(long_date(clinic.review_date)), st.small)
             if clinic.review_date else ""]  # a date never breaks over two lines
    if any(pairs):
        rows.append(pairs)
    for label, text in (("Address:", ", ".join(clinic.address.splitlines()) if clinic.address else None),
                        ("A note for you:", clinic.note)):
        if text:
            rows.append([labelled(label, text, st.small), ""])
            spans.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
    extra = spans + [("ALIGN", (1, 0), (1, 0), "RIGHT")] if clinic.logo else spans
    return KeepTogether(_boxed(Table(rows, colWidths=[half, half]), st, extra))


def write_in_box(st: Styles, width: float) -> KeepTogether:
    """Without a clinic file: a box with ruled lines (each at least 9 mm high) to write the details by hand."""
    half = width / 2
    row = max(ROW, st.size * 2.0)
    cells = [[para(f"{a}:", st.small), "", para(f"{b}:", st.small), ""] for a, b in WRITE_IN_ROWS]
    cells.append([para("Notes:", st.small), "", "", ""])
    label = st.size * 6.5
    lines = Table(cells, colWidths=[label, half - label, label, half - label - st.size * 1.2],
                  rowHeights=[row] * len(cells))
    lines.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, -1), 0.6, RULE), ("LINEBELOW", (3, 0), (3, -1), 0.6, RULE),
                               ("LINEBELOW", (1, -1), (-1, -1), 0.6, RULE), ("SPAN", (1, -1), (-1, -1)),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    heading = Para(f"<b>{esc(HEADING)}</b> {esc(WRITE_IN)}", st.body)
    return KeepTogether(_boxed(Table([[heading], [lines]], colWidths=[width]), st))


def cover_block(clinic: Clinic | None, st: Styles, width: float) -> tuple:
    """What the cover shows about the clinic: its details, or a box to fill in by hand."""
    box = clinic_details(clinic, st, width) if clinic else write_in_box(st, width)
    return Spacer(1, st.size * 0.5), box


def referral_block(clinic: Clinic | None, st: Styles, width: float) -> tuple:
    """On a referral page, under its first words: the clinic's details and who to call, when given.

    Without the note and the review date: both were written for a plan (a note may say how to exercise,
    and a date weeks away reads as 'wait until then'), and a referral page gives no exercise advice and
    sends the person to be seen in its own time frame."""
    if not clinic:
        return ()
    return clinic_details(replace(clinic, note=None, review_date=None), st, width), Spacer(1, st.size * 0.3)


def printable_clinic(clinic: Clinic) -> tuple[Clinic, list[str]]:
    """The clinic with characters the font cannot draw replaced by '?', and a warning for each field."""
    changes, warnings = {}, []
    for field in ("name", "phone", "address", "clinician", "note"):
        value = getattr(clinic, field)
        if value:
            changes[field], found = printable(value, f"clinic's {field}")
            warnings += found
    return replace(clinic, **changes), warnings
