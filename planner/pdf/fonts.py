"""The embedded font (DejaVu Sans, shipped in planner/fonts) and a check of what it can show.

Helvetica covers Latin-1 only; DejaVu Sans covers Latin, Greek and Cyrillic.
A character the font lacks would print as an empty box, so callers check
text with `missing_glyphs` and warn instead. DejaVu Sans has Hebrew and
Arabic letters too, but reportlab draws them left to right and unjoined, so
the words would read backwards: those count as missing.
"""

from __future__ import annotations

import unicodedata
from importlib.resources import as_file, files

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "PlanSans"
BOLD = "PlanSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
# Right-to-left letters and the marks that switch direction (Unicode bidirectional classes)
RIGHT_TO_LEFT = frozenset({"R", "AL", "RLE", "RLO", "RLI"})


def register_fonts() -> None:
    """Register the fonts with reportlab once per process."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in _FILES.items():
        with as_file(files("planner.fonts") / file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` the font cannot draw, each once, in order of first use."""
    register_fonts()
    face = pdfmetrics.getFont(REGULAR).face
    seen: list[str] = []
    for ch in text:
        backwards = unicodedata.bidirectional(ch) in RIGHT_TO_LEFT
        if not ch.isspace() and (backwards or ord(ch) not in face.charToGlyph) and ch not in seen:
            seen.append(ch)
    return seen


def printable(text: str, field: str) -> tuple[str, list[str]]:
    """`text` with undrawable characters replaced by '?', and a warning naming them."""
    missing = missing_glyphs(text)
    if not missing:
        return text, []
    shown = "".join(missing)
    cleaned = "".join("?" if ch in missing else ch for ch in text)
    return cleaned, [f"the {field} has characters the PDF font cannot show ({shown}); they print as '?'. "
                     "The font covers Latin, Greek and Cyrillic scripts."]
