"""Linux C library calls that Python's os module lacks (renameat2, syncfs), looked up by name when first needed.

On another system, or where the C library has no such function (an older glibc), the lookup gives None and
each caller takes its portable way. ctypes is imported here, on the first lookup: most commands never need it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def linux_call(name: str, *argtypes: str) -> Callable[..., None] | None:
    """The C library's function `name` on Linux, as a call that raises OSError (with errno and its message)
    when the function returns non-zero; None elsewhere or where the library lacks it. `argtypes`: the names of
    the ctypes types of its arguments (none: ctypes converts ints and bytes as they come)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        call = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    if argtypes:
        call.argtypes = [getattr(ctypes, t) for t in argtypes]

    def checked(*args: object) -> None:
        if call(*args) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))

    return checked
