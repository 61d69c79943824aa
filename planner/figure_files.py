"""`plan-gen figures`: every exercise's figure as its own SVG file, and one PDF sheet for review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.graphics import renderSVG
from reportlab.platypus import KeepTogether, Spacer

from planner.catalogue import Catalogue
from planner.figures import figure_drawing, figure_size
from planner.no_replace import ExistingFile, write_new
from planner.pdf.document import build_pdf
from planner.pdf.styles import MARGIN, PAGE_SIZES, make_styles
from planner.pdf.text import Para, esc, para


def figure_svg(figure: dict) -> bytes:
    width, height = figure_size(12, 460, figure)
    return renderSVG.drawToString(figure_drawing(figure, width=width, height=height)).encode("utf-8")


def figure_sheet(catalogue: Catalogue) -> bytes:
    """A PDF for people to review: every exercise's name, its two poses as printed on a card, and its first step."""
    st = make_styles(False)
    width = PAGE_SIZES["a4"][0] - 2 * MARGIN
    story = [para("plan-gen exercise figures", st.title, outline=("Figures", 0))]
    for ex in catalogue.ordered_exercises():
        w, h = figure_size(st.size, width, ex.figure)
        story.append(KeepTogether([para(ex.name, st.h2, outline=(ex.name, 1)),
                                   figure_drawing(ex.figure, width=w, height=h, label_font=st.small.fontName,
                                                  label_size=st.small.fontSize),
                                   Para(esc(ex.steps[0]), st.bullet, bulletText="1."), Spacer(1, st.size * 0.5)]))
    return build_pdf(story, page_size="a4", footer_left="Figure sheet", footer_size=st.footer_size,
                     title="plan-gen exercise figures", subject="Every exercise figure, for review")


# What to do about a file in the way of `plan-gen figures`.
OUT_ADVICE = "remove it, choose another --out, or give --overwrite"


@dataclass
class FigureFiles:
    """What `write_figures` did with each file: written, left as it was (the same bytes), or refused."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    refused: list[ExistingFile] = field(default_factory=list)


def write_figures(catalogue: Catalogue, out_dir: Path, overwrite: bool = False) -> FigureFiles:
    """Write <id>.svg for every exercise and figures.pdf, each atomically. Never over a file unless `overwrite`:
    one that holds the very bytes is left as it is, one that differs is refused, and the others are still
    written."""
    done = FigureFiles()
    files = [(out_dir / f"{ex.id}.svg", lambda f=ex.figure: figure_svg(f)) for ex in catalogue.ordered_exercises()]
    for target, make in [*files, (out_dir / "figures.pdf", lambda: figure_sheet(catalogue))]:
        try:
            written = write_new(target, make(), advice=OUT_ADVICE, overwrite=overwrite)
            (done.written if written else done.unchanged).append(target)
        except ExistingFile as exc:
            done.refused.append(exc)
    return done
