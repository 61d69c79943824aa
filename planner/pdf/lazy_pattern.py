"""One pattern reportlab compiles at import, compiled on first use instead (a tenth of a one-file batch).

`reportlab.platypus.paragraph` compiles, as it is imported, a pattern for web addresses: case-insensitive
ranges over all of Unicode, 25 to 40 ms of CPU in every process that makes a PDF. Only its hyphenation of
web addresses uses it, which plan-gen never turns on. Python's `re.compile` returns the pattern its
cache holds for the same text and flags, so `planner.pdf` leaves there, before reportlab is imported, a
stand-in that compiles the real pattern the first time anything asks it to match. A reportlab whose
pattern differs compiles its own, as before (tests/test_speed_guards.py says when that happens).
"""

from __future__ import annotations

import re
from typing import Any

# reportlab 5.1, platypus/paragraph.py: uri_pat (compiled with re.I)
URI_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*"
    "\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))(?::\\d{2,5})?"
    "(?:[/?#][^\\s]*)?\\Z"
)


class OnFirstUse:
    """Stands in for a compiled pattern; compiles it when an attribute (match, search, ...) is first asked for."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            pattern, flags = self._source
            cache = getattr(re, "_cache", None)
            if isinstance(cache, dict) and cache.get((str, pattern, flags)) is self:
                del cache[(str, pattern, flags)]  # else re.compile would hand back this stand-in
            self._compiled = re.compile(pattern, flags)
        return getattr(self._compiled, name)


def leave_in_re_cache() -> None:
    """Put the stand-in in `re`'s cache (CPython 3.11 and 3.12 look there first); anywhere else, nothing."""
    cache = getattr(re, "_cache", None)
    key = (str, URI_PATTERN, int(re.IGNORECASE))
    if isinstance(cache, dict) and key not in cache:
        cache[key] = OnFirstUse(URI_PATTERN, int(re.IGNORECASE))
