"""The floor a PDF renderer cannot beat: the same pages' text and drawings on a bare reportlab canvas.

`page_ops` reads a rendered PDF once (with pypdf, not timed) into, per page, its drawing operations
(paths, colours, line widths, saved states and transforms) and its text runs (string, position, font,
size, colour). `draw_floor` writes them again on a plain canvas with no layout engine: no paragraphs,
no line breaking, no tables, no flowables. `render_pdf / draw_floor` is then how much the layout
costs, a ratio that compares across machines where absolute times do not.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfgen import canvas

from planner.pdf.fonts import BOLD, REGULAR, register_fonts

PATH_OPS = {"m", "l", "c", "v", "y", "re", "h"}
PAINT_OPS = {"S": (1, 0), "s": (1, 0), "f": (0, 1), "F": (0, 1), "f*": (0, 1), "B": (1, 1), "B*": (1, 1),
             "b": (1, 1), "b*": (1, 1), "n": (0, 0)}
STATE_OPS = {"q", "Q", "cm", "w", "RG", "rg", "G", "g", "J", "j", "d"}


@dataclass
class Page:
    size: tuple[float, float]
    graphics: list[tuple[str, tuple[float, ...]]] = field(default_factory=list)
    texts: list[tuple[float, float, str, float, str]] = field(default_factory=list)  # x, y, font, size, text


def page_ops(data: bytes) -> list[Page]:
    """Every page's drawing operations and text runs, read once from a rendered PDF."""
    pages = []
    for source in PdfReader(io.BytesIO(data)).pages:
        page = Page((float(source.mediabox.width), float(source.mediabox.height)))
        in_text = False
        for operands, op in ContentStream(source.get_contents(), source.pdf).operations:
            op = op.decode() if isinstance(op, bytes) else op
            if op == "BT":
                in_text = True
            elif op == "ET":
                in_text = False
            elif not in_text and (op in PATH_OPS or op in PAINT_OPS or op in STATE_OPS):
                page.graphics.append((op, tuple(float(x) for x in operands if isinstance(x, int | float))))

        def text(run, cm, tm, font, size, page=page):
            if run.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                name = BOLD if "Bold" in str((font or {}).get("/BaseFont", "")) else REGULAR
                page.texts.append((x, y, name, float(size) * (tm[3] or 1), run.strip("\n")))

        source.extract_text(visitor_text=text)
        pages.append(page)
    return pages


def draw_floor(pages: list[Page]) -> bytes:
    """The pages' drawings and text, written on a bare canvas: the cost of the PDF with no layout."""
    register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=pages[0].size, invariant=1)
    for page in pages:
        c.setPageSize(page.size)
        path = c.beginPath()
        for op, args in page.graphics:
            if op == "q":
                c.saveState()
            elif op == "Q":
                c.restoreState()
            elif op == "cm":
                c.transform(*args)
            elif op == "w":
                c.setLineWidth(*args)
            elif op in ("RG", "G"):
                c.setStrokeColorRGB(*(args if op == "RG" else args * 3))
            elif op in ("rg", "g"):
                c.setFillColorRGB(*(args if op == "rg" else args * 3))
            elif op == "m":
                path.moveTo(*args)
            elif op == "l":
                path.lineTo(*args)
            elif op == "c":
                path.curveTo(*args)
            elif op == "re":
                path.rect(*args)
            elif op == "h":
                path.close()
            elif op in PAINT_OPS:
                stroke, fill = PAINT_OPS[op]
                c.drawPath(path, stroke=stroke, fill=fill)
                path = c.beginPath()
        for x, y, font, size, run in page.texts:
            c.setFont(font, size)
            c.setFillColorRGB(0.1, 0.1, 0.1)
            c.drawString(x, y, run)
        c.showPage()
    c.save()
    return out.getvalue()
