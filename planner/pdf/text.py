"""Words for the printed plan: escaping user text, dates and doses in plain language."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

from planner.model import Dose


class Para(Paragraph):
    """A Paragraph that remembers its last layout: wrapping the same text to the same width gives the
    same lines, and a kept-together card or a table cell is wrapped several times while its page is
    laid out. Line breaking was the largest single cost of building a plan."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        if self.__dict__.get("_wrapped_for") == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_for = availWidth
        return size

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        self.__dict__.pop("_wrapped_for", None)  # splitting changes the layout; the parts wrap afresh
        return super().split(availWidth, availHeight)


def esc(text: str) -> str:
    """Escape text for reportlab's Paragraph markup, keeping line breaks.

    Paragraph text is markup: '&', '<b>', or '<img src=...>' in a name would be
    altered, raise or open files. Every string that reaches a Paragraph goes
    through here.
    """
    return escape(text).replace("\n", "<br/>")


def para(text: str, style, *, outline: tuple[str, int] | None = None) -> Paragraph:
    """A paragraph of plain (escaped) text, optionally an outline entry."""
    p = Para(esc(text), style)
    if outline:
        p.outline = outline
    return p


def labelled(label: str, text: str, style) -> Paragraph:
    """'<b>label</b> text', both escaped."""
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
