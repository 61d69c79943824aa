"""The Paragraph every page uses (kept apart from `text`, so code that needs only words skips reportlab).

Most of a plan's paragraphs repeat, within a plan (the pain rule, the weekly self-check, table cells)
and across plans (every caution, step and heading). Parsing the markup and breaking it into lines was
the largest cost of a PDF, so both are kept per process, in bounded caches (memory stays flat over any
number of plans). Each use is still a new Paragraph object: nothing reportlab sets on a flowable while
laying out a page (`_postponed` when it did not fit, the split parts) carries over to another page or
another plan, so a PDF is the same bytes whatever was rendered before it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from reportlab.platypus import Paragraph

PARSED_LIMIT = 2048  # distinct (markup, style, bullet) triples; a plan uses a few hundred
LAID_OUT_LIMIT = 4096  # distinct (paragraph, width) layouts


class _Bounded(OrderedDict):
    """A least-recently-used map that keeps at most `limit` entries."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def get_fresh(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        if len(self) > self.limit:
            self.popitem(last=False)


_PARSED = _Bounded(PARSED_LIMIT)
_LAID_OUT = _Bounded(LAID_OUT_LIMIT)


class Para(Paragraph):
    """A Paragraph whose parsed markup and line breaks are reused: wrapping the same text in the same
    style to the same width gives the same lines. Drawing only reads them; a split may change the lines
    it cuts, so it gets lines of its own (tests/test_speed_guards.py renders A, B, A: same bytes)."""

    def __init__(self, text, style=None, bulletText=None, frags=None, **kw):  # noqa: N803 - reportlab's names
        self._key = None
        if frags is not None or style is None or kw or not isinstance(text, str):
            super().__init__(text, style, bulletText, frags, **kw)  # a split part: its own fragments
            return
        key = (text, style, bulletText)  # the style by identity: styles are made once per process
        parsed = _PARSED.get_fresh(key)
        if parsed is None:
            super().__init__(text, style, bulletText)
            _PARSED.put(key, (self.text, self.frags, self.style, self.bulletText))
        else:
            self.caseSensitive, self.encoding, self.debug = 1, "utf8", 0
            self.text, self.frags, self.style, self.bulletText = parsed
        self._key = key

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        if self.__dict__.get("_wrapped_for") == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        key = (self._key, availWidth) if self._key is not None and "autoLeading" not in self.__dict__ else None
        laid = _LAID_OUT.get_fresh(key) if key else None
        if laid is None:
            size = super().wrap(availWidth, availHeight)
            if key and size[1] != 0x7FFFFFFF:  # reportlab's "cannot fit here" is not a layout
                _LAID_OUT.put(key, (self._wrapWidths, self.blPara, self.height))
        else:
            self.width = availWidth
            self._wrapWidths, self.blPara, self.height = laid
            size = (self.width, self.height)
        self._wrapped_for = availWidth
        return size

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        self.__dict__.pop("_wrapped_for", None)  # splitting changes the layout; the parts wrap afresh
        if self._key is not None:  # reportlab's split may change the lines it splits: give it its own
            Paragraph.wrap(self, availWidth, availHeight)
        return super().split(availWidth, availHeight)
