"""Type sizes and paragraph styles: 12 pt body text, 14 pt with --large-print."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from planner.pdf.fonts import BOLD, REGULAR, register_fonts

PAGE_SIZES = {"a4": A4, "letter": LETTER}
INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f4e79")
WARN = colors.HexColor("#a31515")
RULE = colors.HexColor("#8c8c8c")  # lines only, never text
MUTED = colors.HexColor("#595959")  # quieter text that still contrasts 7:1 with white
SHADE = colors.HexColor("#e8eef5")
MARGIN = 15 * mm  # a home printer's edge is 5 mm at most; 15 mm leaves the cards room for a third per page


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    bold: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    warn: ParagraphStyle
    tight: ParagraphStyle  # body text on a card: less space after, so cards share a page
    step: ParagraphStyle  # a numbered step on a card
    tight_bullet: ParagraphStyle  # a bullet with less space after (the weekly check)
    habit: ParagraphStyle  # a daily habit's point: a little closer than a bullet, so a habit's tail shares a page
    card_title: ParagraphStyle
    small_bold: ParagraphStyle  # a table heading row in the smaller type
    side: ParagraphStyle  # the column beside a card's figure (the body size less one point)
    footer_size: float
    size: float


@cache  # one set per type size per process: paragraph layouts are kept per style (pdf/paragraph.py)
def make_styles(large_print: bool) -> Styles:
    register_fonts()  # paragraphs built with these styles look the fonts up at once
    size = 14.0 if large_print else 12.0
    lead = size * 1.35

    def style(name: str, **kw) -> ParagraphStyle:
        # spaceShrinkage 0: reportlab otherwise lets a left-aligned line run up to 5% of its spaces past the margin
        base = {"fontName": REGULAR, "fontSize": size, "leading": lead, "textColor": INK, "spaceAfter": size * 0.5,
                "bulletFontName": REGULAR, "bulletFontSize": size, "spaceShrinkage": 0}
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        body=style("body"),
        small=style("small", fontSize=size - 1, leading=(size - 1) * 1.3),
        bold=style("bold", fontName=BOLD),
        title=style("title", fontName=BOLD, fontSize=size * 2.2, leading=size * 2.6, textColor=ACCENT,
                    spaceAfter=size),
        h1=style("h1", fontName=BOLD, fontSize=size * 1.6, leading=size * 2.0, textColor=ACCENT, spaceBefore=size * 0.4,
                 spaceAfter=size * 0.6),
        h2=style("h2", fontName=BOLD, fontSize=size * 1.25, leading=size * 1.6, textColor=ACCENT,
                 spaceBefore=size * 0.5, spaceAfter=size * 0.3),
        bullet=style("bullet", leftIndent=size * 1.4, bulletIndent=size * 0.3, spaceAfter=size * 0.3),
        cell=style("cell", spaceAfter=0),
        cell_bold=style("cell_bold", fontName=BOLD, spaceAfter=0),
        warn=style("warn", fontName=BOLD, textColor=WARN),
        tight=style("tight", leading=size * 1.18, spaceAfter=size * 0.1),
        tight_bullet=style("tight_bullet", leftIndent=size * 1.4, bulletIndent=size * 0.3, spaceAfter=size * 0.1,
                           leading=size * 1.25),
        habit=style("habit", leftIndent=size * 1.4, bulletIndent=size * 0.3, spaceAfter=size * 0.1,
                    leading=size * 1.3),
        step=style("step", leading=size * 1.18, leftIndent=size * 1.4, bulletIndent=size * 0.3, spaceAfter=0),
        small_bold=style("small_bold", fontName=BOLD, fontSize=size - 1, leading=(size - 1) * 1.3, spaceAfter=0),
        side=style("side", fontSize=size - 1, leading=(size - 1) * 1.18, spaceAfter=size * 0.15),
        card_title=style("card_title", fontName=BOLD, fontSize=size * 1.25, leading=size * 1.45, textColor=ACCENT,
                         spaceBefore=size * 0.5, spaceAfter=0),
        footer_size=size - 3,
        size=size,
    )
