"""The page frame every PDF shares: footer with page X of Y, date and disclaimer; outline; metadata."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from planner.pdf import wording as W
from planner.pdf.fonts import REGULAR, register_fonts
from planner.pdf.pageref import fill_slots
from planner.pdf.styles import MARGIN, PAGE_SIZES, RULE

FOOTER_EDGE = 11 * mm  # the footer's last line sits this far up: clear of a printer's edge (10 mm is tested)


def footer_lines(page_size: str, footer_size: float, disclaimer: str = W.DISCLAIMER) -> list[str]:
    return simpleSplit(disclaimer, REGULAR, footer_size, PAGE_SIZES[page_size][0] - 2 * MARGIN)


def footer_rule(page_size: str, footer_size: float, disclaimer: str = W.DISCLAIMER) -> float:
    """Where the footer's rule is drawn: just above its lines (one line of page numbers, the disclaimer)."""
    lines = footer_lines(page_size, footer_size, disclaimer)
    return FOOTER_EDGE + footer_size + 2 + len(lines) * footer_size * 1.25


def body_bottom(page_size: str, footer_size: float, disclaimer: str = W.DISCLAIMER) -> float:
    """The body frame's foot: 2 mm over the footer's rule, so the footer takes no more room than it needs."""
    return footer_rule(page_size, footer_size, disclaimer) + 2 * mm


def _numbered_canvas(footer_left: str, footer_size: float, disclaimer: str, rule: float):
    """A canvas class that holds every page until the end, so each footer can say 'page X of Y'."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["invariant"] = 1  # byte-identical output; SOURCE_DATE_EPOCH still sets the date
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self.page_slots: list = []  # the routine rows' '4, p. 7', filled in at save (pageref.py)
            self.card_pages: dict[str, int] = {}  # card number -> the page its title is on
            self._marks: list[str] = []  # this page's bookmarks, made when the page is written out

        def bookmarkPage(self, key, **kwargs):  # noqa: N802 - reportlab's name
            """Held back with its page: a destination names the page being written, and until save() that
            is always the first one (every bookmark opened page 1)."""
            self._marks.append(key)

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def save(self):
            fill_slots(self, self.card_pages)
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                for key in self._marks:
                    canvas.Canvas.bookmarkPage(self, key)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            """Rule, what this is and 'Page X of Y', then the disclaimer wrapped inside the side margins."""
            width, _ = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, rule, width - MARGIN, rule)
            self.setFont(REGULAR, footer_size)
            self.setFillColorRGB(0.2, 0.2, 0.2)
            y = rule - footer_size - 2
            self.drawString(MARGIN, y, footer_left)
            self.drawRightString(width - MARGIN, y, f"Page {number} of {total}")
            for line in simpleSplit(disclaimer, REGULAR, footer_size, width - 2 * MARGIN):
                y -= footer_size * 1.25
                self.drawString(MARGIN, y, line)
            self.restoreState()

    return NumberedCanvas


class Mark(Flowable):
    """Takes no room and draws nothing: notes the page it lands on and how full that page is so far. A frame
    action: the frame neither measures it nor moves on (a zero-high flowable after a page's last line, 1 pt
    past the foot, began a blank page; as a flowable it also ended the space-collapse of its neighbours)."""

    def __init__(self, name: str):
        super().__init__()
        self.mark = name

    def frameAction(self, frame):  # noqa: N802 - reportlab's name
        """Nothing to do: the document notes the page in afterFlowable."""

    def wrap(self, available_width, available_height):
        return 0, 0


class PlanDocument(BaseDocTemplate):
    """A document whose flowables may carry `outline = (title, level)` to become bookmarks."""

    marks: dict | None = None

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
        name = getattr(flowable, "mark", None)
        if name and self.marks is not None:
            frame = self.frame
            self.marks[name] = (self.page, (frame._y2 - frame._y) / (frame._y2 - frame._y1))
        card = getattr(flowable, "card_ref", None)
        if card:
            self.canv.card_pages[card] = self.page
        entry = getattr(flowable, "outline", None)
        if entry:
            title, level = entry
            key = f"o{self._outline_count}"
            self._outline_count += 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)


def build_pdf(story: list, *, page_size: str, footer_left: str, footer_size: float, title: str,
              subject: str, disclaimer: str = W.DISCLAIMER, marks: dict | None = None) -> bytes:
    """The PDF's bytes; `marks` (if given) gets each Mark's (page, fill) and the page count as "pages"."""
    register_fonts()
    buffer = io.BytesIO()
    size = PAGE_SIZES[page_size]
    doc = PlanDocument(
        buffer, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=body_bottom(page_size, footer_size, disclaimer),
        title=title, author="plan-gen", subject=subject, creator="plan-gen",
        keywords="lower back pain, home exercise plan",
    )
    doc._outline_count = 0
    doc.marks = marks
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_numbered_canvas(footer_left, footer_size, disclaimer,
                                                         footer_rule(page_size, footer_size, disclaimer)))
    if marks is not None:
        marks["pages"] = (doc.page, 1.0)
    return buffer.getvalue()
