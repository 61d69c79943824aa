"""planner.libc: the Linux C library calls renameat2 and syncfs are found by name; elsewhere, or where the
library lacks the function, the lookup says None and the callers take their portable ways."""

from __future__ import annotations

import errno
import os
import sys

import pytest

from planner import jsonio, no_replace
from planner.libc import linux_call

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux C library calls")


@linux_only
def test_a_call_that_fails_raises_oserror_with_its_errno(tmp_path):
    syncfs = linux_call("syncfs")
    assert syncfs is not None
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        syncfs(fd)  # a folder of a real file system: flushed, no error
    finally:
        os.close(fd)
    with pytest.raises(OSError) as failed:
        syncfs(-1)
    assert failed.value.errno == errno.EBADF and failed.value.strerror == os.strerror(errno.EBADF)


@linux_only
def test_renameat2_never_replaces_and_names_the_target(tmp_path):
    rename = no_replace._renameat2.__wrapped__()
    if rename is None:
        pytest.skip("no renameat2 in this C library")
    a, b, taken = tmp_path / "a", tmp_path / "b", tmp_path / "taken"
    a.write_bytes(b"new")
    taken.write_bytes(b"theirs")
    with pytest.raises(FileExistsError) as exists:
        rename(str(a), taken)
    assert exists.value.filename == str(taken) and taken.read_bytes() == b"theirs"
    assert rename(str(a), b) is True and b.read_bytes() == b"new" and not a.exists()


def test_a_function_the_library_lacks_or_another_system_gives_none(monkeypatch):
    assert linux_call("plan_gen_no_such_function") is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert linux_call("syncfs") is None
    assert jsonio._syncfs.__wrapped__() is None and no_replace._renameat2.__wrapped__() is None
