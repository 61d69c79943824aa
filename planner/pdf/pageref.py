"""'4, p. 7' in a routine table's card column, in one layout pass: the page is filled in when the PDF is saved.

The routine tables come before the cards, so when a row is drawn its card's page is not yet known, and
laying the document out twice would double the PDF's time (issue 17). The row instead keeps an empty slot
in its page's drawing operators; the document records the page on which each card's title lands
(`afterFlowable`), and the canvas, which holds every page until the end for 'page X of Y', writes the text
into each slot before it saves (document.py). The text then sits in the page, in reading order, where it
is drawn, like any other cell's (a PDF form drawn by reference would hide its place from text tools).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from planner.pdf.styles import INK

WIDEST = "99, p. 99"  # what the column must hold: a two-digit card on a two-digit page


def label(number: str, page: int) -> str:
    return f"{number}, p. {page}"


@dataclass
class Slot:
    """Where a row's text goes: a page's list of operators, the index in it, and how to draw the text."""

    code: list
    index: int
    number: str
    font: str
    size: float
    x: float  # the cell's centre
    y: float  # the baseline


class CardPage(Flowable):
    """A table cell showing a card's number and the page its title is on, centred in the cell."""

    def __init__(self, number: int, font: str, size: float, leading: float, width: float):
        super().__init__()
        self.number, self.font, self.size, self.leading, self.cell = str(number), font, size, leading, width

    def wrap(self, avail_width, avail_height):
        return self.cell, self.leading

    def draw(self):
        code = self.canv._code  # this page's operators (reportlab's own list; document.py keeps it per page)
        # the baseline a string cell would have: its top padding, then the type size
        self.canv.page_slots.append(Slot(code, len(code), self.number, self.font, self.size, self.cell / 2,
                                         self.leading - self.size))
        code.append("")


def fill_slots(canv, pages: dict[str, int]) -> None:
    """Write each row's '4, p. 7' into its slot, now that every card's page is known."""
    for slot in canv.page_slots:
        if slot.number not in pages:
            raise RuntimeError(f"a routine row names card {slot.number}, but no card {slot.number} was printed")
        text = label(slot.number, pages[slot.number])
        line = canv.beginText(slot.x - stringWidth(text, slot.font, slot.size) / 2, slot.y)
        line.setFont(slot.font, slot.size)
        line.setFillColor(INK)
        line.textOut(text)
        slot.code[slot.index] = "q " + line.getCode() + " Q"  # the colour stays inside the cell
