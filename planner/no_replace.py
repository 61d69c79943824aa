"""Putting a finished file in place without ever replacing one that is there: a user's files are never overwritten.

`place_new` gives a finished temporary file its name only if no file has that name, in one step of the file
system, so a file that appears between a check and the write cannot be lost (a check, then a rename, would
replace it). When a file is there and holds the very bytes this run made, it is left as it is (a rerun is
painless: plan-gen is deterministic); when it differs, `ExistingFile` says so and what to do. Only when the
user asks (`--overwrite`, `overwrite=True`) is the file renamed over whatever has its name.

The one step: `os.link(tmp, target)`, which fails with EEXIST where a rename would replace. Where hard links
are not supported (FAT, some network folders): Linux's renameat2(RENAME_NOREPLACE), `os.rename` on Windows
(it never replaces); on any other system without either, a check for the name just before the rename, the
one place with a small window.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
from collections.abc import Callable

from planner.errors import OutputError
from planner.jsonio import output_error, write_temporary
from planner.libc import linux_call

# What to do about a file in the way, for `plan-gen batch` (its --report has its own words).
OUT_DIR_ADVICE = "remove it, choose another --out-dir, or give --overwrite"
REPORT_ADVICE = "remove it, or choose another file for the report"

# link(2) errors that mean "no hard links here", not "you may not write here": then rename without replacing.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK, errno.EXDEV}


def refusal(path: str | os.PathLike, advice: str = OUT_DIR_ADVICE, done: str = "it was left as it is") -> str:
    """The words for a file in the way: which, why, what happened to it and what to do."""
    return f"{path} exists already and differs from what this run would write; {done}: {advice}"


class ExistingFile(OutputError):
    """An output's name is taken by a file with other bytes (or by a folder): it is left as it is."""

    def __init__(self, path: str | os.PathLike, advice: str = OUT_DIR_ADVICE):
        self.path, self.advice = str(path), advice
        super().__init__(refusal(path, advice))


def place_new(tmp: str, target: str | os.PathLike, advice: str = OUT_DIR_ADVICE, *, overwrite: bool = False) -> bool:
    """Give the finished file `tmp` the name `target`, never over a file: True when it was put in place, False
    when `target` already holds exactly its bytes (left as it is). `ExistingFile` when `target` differs, or
    `OutputError` when the file system fails (or a folder has the name). `overwrite`: renamed over any file
    there, in one atomic step (always True). The temporary file is gone afterwards, whatever happens."""
    try:
        if overwrite:
            os.replace(tmp, target)
            return True
        try:
            _no_replace(tmp, target)
        except FileExistsError:
            if same_bytes(tmp, target):
                return False
            if os.path.isdir(target) and not os.path.islink(target):  # as a rename would say: choose another name
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target)) from None
            raise ExistingFile(target, advice) from None
        return True
    except OSError as exc:
        raise output_error(target, exc) from None
    finally:
        with contextlib.suppress(OSError):  # after a link it has a second name; after a rename it is gone
            os.unlink(tmp)


def write_new(path: str | os.PathLike, data: bytes, *, advice: str = OUT_DIR_ADVICE, tag: str | None = None,
              overwrite: bool = False) -> bool:
    """`jsonio.write_atomic` that never replaces a file unless `overwrite`: written to a temporary file, fsynced,
    then put in place by `place_new` (True: written; False: the same bytes were there already)."""
    return place_new(write_temporary(path, data, tag=tag), path, advice, overwrite=overwrite)


def same_bytes(ours: str | os.PathLike, theirs: str | os.PathLike) -> bool:
    """Whether `theirs` is a regular file (a link to one counts) with exactly the bytes of `ours`. One that
    cannot be read counts as different: it is never replaced either way."""
    try:
        if not stat.S_ISREG(os.stat(theirs).st_mode) or os.path.getsize(ours) != os.path.getsize(theirs):
            return False
        with open(ours, "rb") as a, open(theirs, "rb") as b:
            while True:
                chunk = a.read(1 << 20)
                if chunk != b.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def _no_replace(tmp: str, target: str | os.PathLike) -> None:
    """Name `tmp` `target` in one step that fails with FileExistsError when the name is taken."""
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    _rename_no_replace(tmp, target)


def _rename_no_replace(tmp: str, target: str | os.PathLike) -> None:
    if os.name == "nt":
        os.rename(tmp, target)  # on Windows a rename never replaces: FileExistsError
        return
    rename = _renameat2()
    if rename is not None and rename(tmp, target):
        return
    if os.path.lexists(target):  # last resort (no hard links, no renameat2): a small window before the rename
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    os.replace(tmp, target)


@functools.cache
def _renameat2() -> Callable[[str, str | os.PathLike], bool] | None:
    """Linux's renameat2(2) with RENAME_NOREPLACE, as a call that returns False where the file system does not
    support it; None where there is no such call."""
    call = linux_call("renameat2", "c_int", "c_char_p", "c_int", "c_char_p", "c_uint")
    if call is None:
        return None
    at_fdcwd, noreplace = -100, 1

    def rename(tmp: str, target: str | os.PathLike) -> bool:
        try:
            call(at_fdcwd, os.fsencode(tmp), at_fdcwd, os.fsencode(target), noreplace)
        except OSError as exc:
            if exc.errno in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                return False
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        return True

    return rename
