"""Words for the printed plan: escaping user text, dates and doses in plain language."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from planner.model import Dose

if TYPE_CHECKING:
    from reportlab.platypus import Paragraph


def esc(text: str) -> str:
    """Escape text for reportlab's Paragraph markup, keeping line breaks.

    Paragraph text is markup: '&', '<b>', or '<img src=...>' in a name would be
    altered, raise or open files. Every string that reaches a Paragraph goes
    through here.
    """
    # xml.sax.saxutils.escape does the same three replacements, but importing it loads urllib.request.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def __getattr__(name: str):
    """`Para` loads reportlab on first use, so the JSON, calendar and FHIR writers (which need only
    `dose_text`) start without it."""
    if name == "Para":
        from planner.pdf.paragraph import Para

        return Para
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def para(text: str, style, *, outline: tuple[str, int] | None = None) -> Paragraph:
    """A paragraph of plain (escaped) text, optionally an outline entry."""
    from planner.pdf.paragraph import Para

    p = Para(esc(text), style)
    if outline:
        p.outline = outline
    return p


def labelled(label: str, text: str, style) -> Paragraph:
    """'<b>label</b> text', both escaped."""
    from planner.pdf.paragraph import Para

    return Para(f"<b>{esc(label)}</b> {esc(text)}", style)


def long_date(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"



NBSP = "\u00a0"


def keep_together(text: str) -> str:
    """`text` with its spaces made non-breaking, so a table cell wraps between phrases, never inside one."""
    return text.replace(" ", NBSP)


def dose_text(d: Dose) -> str:
    """'2 sets of 10, hold 5 s, each side' in plain words (the hold is for every repetition).

    A narrow cell may wrap it after a comma, never inside a phrase ('each / side').
    """
    if d.minutes is not None:
        return keep_together(f"{d.minutes} minutes")
    if d.reps and d.reps > 1:
        parts = [f"{d.reps} times" if d.sets == 1 else f"{d.sets} sets of {d.reps}"]
        if d.hold_seconds:
            parts.append(f"hold {d.hold_seconds} s")
    elif not d.hold_seconds:
        parts = ["once" if d.sets == 1 else f"{d.sets} times"]
    else:
        parts = [f"hold {d.hold_seconds} s" if d.sets == 1 else f"{d.sets} times: hold {d.hold_seconds} s"]
    if d.per_side:
        parts.append("each side")
    return ", ".join(keep_together(p) for p in parts)
