"""The Paragraph every page uses (kept apart from `text`, so code that needs only words skips reportlab)."""

from __future__ import annotations

from reportlab.platypus import Paragraph


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
