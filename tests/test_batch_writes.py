"""How batch makes its files safe: a group's files are flushed to disk once, together, before any is renamed
into place; a record reported as written was renamed after its bytes were on disk."""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import json
import os
import stat
from pathlib import Path

import pytest

from conftest import answers_with
from planner import batch as batch_module
from planner import jsonio
from planner.errors import OutputError

TODAY = dt.date(2026, 11, 26)


def people(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps(answers_with(id=f"p{i:02}")) + "\n" for i in range(count)), encoding="utf-8")
    return path


def run(tmp_path: Path, count: int, formats=("json",)) -> list[batch_module.Outcome]:
    return list(batch_module.run_batch([str(people(tmp_path / "p.jsonl", count))], tmp_path / "out", formats, TODAY))


def test_one_flush_per_group_and_no_file_in_place_before_it(tmp_path, monkeypatch):
    flushes = []
    real = jsonio.WriteGroup.flush

    def flush(self):
        out = tmp_path / "out"
        flushes.append((len(self._temporaries), sorted(p.name for p in out.iterdir() if not p.name.startswith("."))))
        real(self)

    monkeypatch.setattr(jsonio.WriteGroup, "flush", flush)
    outcomes = run(tmp_path, 20, ("json", "ics"))
    assert [o.status for o in outcomes] == ["plan"] * 20
    group = batch_module.CHUNK_PER_JOB
    assert [n for n, _ in flushes] == [group * 2, (20 - group) * 2]  # one flush for every file of a group
    assert flushes[0][1] == [] and len(flushes[1][1]) == group * 2  # the group's files appear only after it
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"p{i:02}.{suffix}" for i in range(20) for suffix in ("json", "ics"))


@pytest.mark.skipif(jsonio._syncfs() is None, reason="syncfs(2) is Linux's")
def test_the_folder_is_opened_before_the_first_file_is_written(tmp_path, monkeypatch):
    """syncfs reports write errors met since its descriptor was opened: opened before the writes, it
    reports one from the background writeback of the group's own files too."""
    seen = []
    real = jsonio.write_temporary

    def write(path, data, **kwargs):
        seen.append([os.path.samefile(os.readlink(f"/proc/self/fd/{fd}"), Path(path).parent)
                     for fd in group_fds()])
        return real(path, data, **kwargs)

    groups = []
    real_init = jsonio.WriteGroup.__init__

    def init(self):
        real_init(self)
        groups.append(self)

    def group_fds():
        return [fd for g in groups for fd in g._folders.values()]

    monkeypatch.setattr(jsonio, "write_temporary", write)
    monkeypatch.setattr(jsonio.WriteGroup, "__init__", init)
    assert [o.status for o in run(tmp_path, 3)] == ["plan"] * 3
    assert seen == [[True]] * 3


def test_no_file_of_a_group_is_fsynced_alone(tmp_path, monkeypatch):
    synced = []
    real = os.fsync

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(jsonio.os, "fsync", fsync)
    assert [o.status for o in run(tmp_path, 5)] == ["plan"] * 5
    if jsonio._syncfs() is not None:  # Linux: one syncfs, then the folder's fsync
        assert synced == [True]
    else:  # elsewhere every file is fsynced, still all before the first rename
        assert synced.count(False) == 5


def test_a_failed_flush_puts_nothing_in_place_and_fails_the_group(tmp_path, monkeypatch):
    def flush(self):
        raise OutputError(f"cannot write {tmp_path / 'out'}: input/output error")

    monkeypatch.setattr(jsonio.WriteGroup, "flush", flush)
    outcomes = run(tmp_path, 3)
    assert [o.status for o in outcomes] == ["failed"] * 3
    assert all("input/output error" in o.problems[0].message for o in outcomes)
    assert list((tmp_path / "out").iterdir()) == []  # no target, no temporary file


def test_a_rename_that_fails_on_a_full_disk_leaves_the_rest_of_the_group_unwritten(tmp_path, monkeypatch):
    calls = {"n": 0}

    def third_fails(real):
        def put(src, dst):
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(dst))
            real(src, dst)
        return put

    for name in ("link", "replace"):  # the put-in-place: a link, never over a file (a rename with --overwrite)
        monkeypatch.setattr(jsonio.os, name, third_fails(getattr(os, name)))
    outcomes = run(tmp_path, 10)
    assert [o.status for o in outcomes] == ["plan", "plan", "failed"]
    assert outcomes[-1].stop == "the disk is full"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p00.json", "p01.json"]


def test_a_flush_that_fails_names_the_folder(tmp_path, monkeypatch):
    def fail(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(jsonio, "_syncfs", lambda: fail)
    monkeypatch.setattr(jsonio.os, "fsync", fail)
    with jsonio.WriteGroup() as group, pytest.raises(OutputError) as info:
        group.write(tmp_path / "a.json", b"{}")
        group.flush()
    assert str(info.value).startswith(f"cannot write {tmp_path}: ")


def test_a_file_is_made_with_the_mode_open_gives_it(tmp_path):
    """0o666 less the umask, as any program's new file: the temporary file is made with that mode (not
    made private and opened up afterwards), and the rename keeps it."""
    old = os.umask(0o027)
    try:
        jsonio.write_atomic(tmp_path / "a.json", b"{}")
        with jsonio.WriteGroup() as group:
            tmp = group.write(tmp_path / "b.json", b"{}")
            assert stat.S_IMODE(os.stat(tmp).st_mode) == 0o640
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "a.json").st_mode) == 0o640


def test_a_temporary_name_already_taken_is_never_opened(tmp_path, monkeypatch):
    """Temporary names are numbered per process, and a worker of the run (or one that was stopped) may
    hold the next one: the file there is left as it is and the next number taken."""
    monkeypatch.setattr(jsonio, "_SERIAL", itertools.count(7))
    taken = tmp_path / ".a.json.TAG.7.tmp"
    taken.write_bytes(b"another process's")
    jsonio.write_atomic(tmp_path / "a.json", b"new", tag="TAG")
    assert (tmp_path / "a.json").read_bytes() == b"new"
    assert taken.read_bytes() == b"another process's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [taken.name, "a.json"]


def test_a_write_taken_in_parts_is_written_whole(tmp_path, monkeypatch):
    real = os.write
    monkeypatch.setattr(jsonio.os, "write", lambda fd, data: real(fd, data[:1000]))
    data = bytes(range(256)) * 40
    jsonio.write_atomic(tmp_path / "a.json", data)
    assert (tmp_path / "a.json").read_bytes() == data


def test_a_write_that_fails_part_way_leaves_no_file_and_names_the_target(tmp_path, monkeypatch):
    real = os.write
    calls = {"n": 0}

    def write(fd, data):
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data[:10])

    monkeypatch.setattr(jsonio.os, "write", write)
    with pytest.raises(OutputError) as info:
        jsonio.write_atomic(tmp_path / "a.json", b"x" * 100)
    assert str(info.value) == f"cannot write {tmp_path / 'a.json'}: the disk is full; free some space and run again"
    assert info.value.disk_full
    assert list(tmp_path.iterdir()) == []
