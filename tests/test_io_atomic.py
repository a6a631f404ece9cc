"""Atomic output: complete or not at all, the previous output intact, no temporary files, the path named.

Tests run as root in CI, where chmod cannot make a folder read-only, so
read-only folders, read-only file systems and full disks are simulated by
making the OS calls fail with the errno the real situation gives.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import stat
import tempfile
from pathlib import Path

import pytest

import partnernet.io.atomic as atomic
from partnernet.errors import OutputError
from partnernet.io.atomic import staged_folder, write_bytes, write_text


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or ".tmp" in p.name)


def fail(err: int, name: str = "simulated"):
    def raiser(*args, **kwargs):
        raise OSError(err, os.strerror(err), name)

    return raiser


@pytest.fixture
def previous(tmp_path) -> Path:
    path = tmp_path / "out" / "table.csv"
    path.parent.mkdir()
    path.write_bytes(b"previous\n")
    return path


def test_write_replaces_the_file_and_leaves_nothing_else(previous):
    write_bytes(previous, b"new\n")
    assert previous.read_bytes() == b"new\n"
    assert sorted(p.name for p in previous.parent.iterdir()) == ["table.csv"]


def test_write_creates_folders_and_uses_the_umask_for_new_files(tmp_path):
    path = write_bytes(tmp_path / "a" / "b" / "x.json", b"{}")
    assert path.read_bytes() == b"{}"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~atomic._UMASK


def test_a_replaced_file_keeps_its_permissions(previous):
    previous.chmod(0o640)
    write_bytes(previous, b"new\n")
    assert stat.S_IMODE(previous.stat().st_mode) == 0o640


def test_text_is_utf8_whatever_the_locale(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "C")
    path = write_text(tmp_path / "da.txt", "Ærø – Ørsted – Århus\n")
    assert path.read_bytes() == "Ærø – Ørsted – Århus\n".encode("utf-8")


@pytest.mark.parametrize("target, err, reason", [
    ("tempfile.mkstemp", errno.EACCES, "permission denied"),  # read-only folder
    ("tempfile.mkstemp", errno.EROFS, "read-only file system"),
    ("os.replace", errno.EACCES, "permission denied"),
    ("os.replace", errno.EROFS, "read-only file system"),
    ("os.write", errno.ENOSPC, "no space left on device"),  # disk full
    ("os.fsync", errno.EIO, os.strerror(errno.EIO)),
    ("os.write", errno.EDQUOT, "disk quota exceeded"),
])
def test_failures_name_the_path_keep_the_previous_file_and_leave_no_temporary_file(previous, monkeypatch,
                                                                                     target, err, reason):
    module, name = target.split(".")
    monkeypatch.setattr({"tempfile": tempfile, "os": os}[module], name, fail(err))
    with pytest.raises(OutputError) as info:
        write_bytes(previous, b"new content\n" * 1000)
    monkeypatch.undo()
    assert info.value.path == str(previous)
    assert info.value.reason == reason
    assert str(info.value) == f"{previous}: {reason}"
    assert previous.read_bytes() == b"previous\n"
    assert leftovers(previous.parent) == []


def test_disk_full_after_a_partial_write(previous, monkeypatch):
    real_write = os.write
    calls = []

    def partial_then_full(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", partial_then_full)
    with pytest.raises(OutputError, match="no space left on device"):
        write_bytes(previous, b"x" * 100_000)
    monkeypatch.undo()
    assert calls[:2] == [100_000, 99_990]
    assert previous.read_bytes() == b"previous\n"
    assert leftovers(previous.parent) == []


def test_an_interrupted_write_leaves_no_temporary_file(previous, monkeypatch):
    monkeypatch.setattr(os, "write", lambda fd, data: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_bytes(previous, b"new\n")
    monkeypatch.undo()
    assert previous.read_bytes() == b"previous\n"
    assert leftovers(previous.parent) == []


def test_output_path_is_a_folder(tmp_path):
    (tmp_path / "report.html").mkdir()
    with pytest.raises(OutputError) as info:
        write_bytes(tmp_path / "report.html", b"x")
    assert (info.value.path, info.value.reason) == (str(tmp_path / "report.html"), "is a folder, not a file")


@pytest.mark.parametrize("below", ["x.csv", "sub/deeper/x.csv"])
def test_a_file_where_a_folder_should_be_is_named(tmp_path, below):
    (tmp_path / "out").write_text("I am a file")
    with pytest.raises(OutputError) as info:
        write_bytes(tmp_path / "out" / below, b"x")
    assert (info.value.path, info.value.reason) == (str(tmp_path / "out"), "is a file, not a folder")
    assert (tmp_path / "out").read_text() == "I am a file"
    assert leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_created_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(Path, "mkdir", fail(errno.EACCES))
    with pytest.raises(OutputError) as info:
        write_bytes(tmp_path / "new" / "x.csv", b"x")
    assert (info.value.path, info.value.reason) == (str(tmp_path / "new"), "permission denied")


# --- folders -----------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path) -> Path:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    return target


def test_staged_folder_swaps_in_the_new_content(site):
    with staged_folder(site) as stage:
        (stage / "index.html").write_text("new")
        (stage / "extra.html").write_text("extra")
    assert sorted(p.name for p in site.iterdir()) == ["extra.html", "index.html"]
    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_staged_folder_keeps_the_old_content_when_the_block_fails(site):
    with pytest.raises(ValueError):
        with staged_folder(site) as stage:
            (stage / "index.html").write_text("half")
            raise ValueError("rendering failed")
    assert (site / "index.html").read_text() == "old"
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_staged_folder_disk_full_inside_the_block_is_an_output_error(site):
    with pytest.raises(OutputError) as info:
        with staged_folder(site):
            raise OSError(errno.ENOSPC, "No space left on device")
    assert (info.value.path, info.value.reason) == (str(site), "no space left on device")
    assert (site / "index.html").read_text() == "old"
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


@pytest.mark.parametrize("call", [1, 2])
def test_staged_folder_rename_failure_keeps_the_old_content(site, monkeypatch, call):
    real_replace = os.replace
    calls = []

    def replace(src, dst):
        calls.append((src, dst))
        if len(calls) == call:
            raise OSError(errno.EACCES, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(atomic, "_RENAMEAT2", None)  # the two-rename swap of platforms without an exchange
    with pytest.raises(OutputError) as info:
        with staged_folder(site) as stage:
            (stage / "index.html").write_text("new")
    monkeypatch.undo()
    assert (info.value.path, info.value.reason) == (str(site), "permission denied")
    assert (site / "index.html").read_text() == "old"
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_staged_folder_target_is_a_file(tmp_path):
    (tmp_path / "site").write_text("a file")
    with pytest.raises(OutputError) as info:
        with staged_folder(tmp_path / "site"):
            pass
    assert (info.value.path, info.value.reason) == (str(tmp_path / "site"), "is a file, not a folder")
    assert (tmp_path / "site").read_text() == "a file"


def test_staged_folder_cannot_create_its_stage(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "mkdtemp", fail(errno.EROFS))
    with pytest.raises(OutputError) as info:
        with staged_folder(tmp_path / "site"):
            pass
    assert (info.value.path, info.value.reason) == (str(tmp_path / "site"), "read-only file system")


# --- special targets, long names, the exchange, leftovers of killed runs (issue 17) -------------


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "real.csv").write_text("old")
    (tmp_path / "link.csv").symlink_to("real.csv")
    write_text(tmp_path / "link.csv", "new")
    assert (tmp_path / "link.csv").is_symlink() and (tmp_path / "real.csv").read_text() == "new"
    assert leftovers(tmp_path) == []


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_bytes(fifo, b"through the pipe")
    reader.join(10)
    assert got == [b"through the pipe"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_character_device_is_written_into_and_a_full_one_is_an_output_error(tmp_path):
    (tmp_path / "null").symlink_to("/dev/null")
    write_bytes(tmp_path / "null", b"gone")
    assert (tmp_path / "null").is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(OutputError) as info:
        write_bytes("/dev/full", b"x")
    assert info.value.reason == "no space left on device"


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(OutputError) as info:
            write_bytes(path, b"x")
    assert info.value.reason == "is a socket; partnernet writes only to files, FIFOs and character devices"


def test_names_and_paths_too_long_are_refused_before_any_work(tmp_path):
    with pytest.raises(OutputError) as info:
        write_bytes(tmp_path / ("a" * 300), b"x")
    assert info.value.reason == "file name too long (300 bytes in one name; at most 255)"
    deep = tmp_path.joinpath(*["b" * 200] * 25)
    with pytest.raises(OutputError) as info:
        with staged_folder(deep):
            pass
    assert info.value.reason.startswith("path too long (") and "…" in info.value.path


def test_a_fifo_is_not_a_folder(tmp_path):
    os.mkfifo(tmp_path / "site")
    with pytest.raises(OutputError) as info:
        with staged_folder(tmp_path / "site"):
            pass
    assert info.value.reason == "is a FIFO, not a folder"


def test_a_symlinked_folder_keeps_its_link_and_its_target_is_replaced(site):
    link = site.parent / "link"
    link.symlink_to("site")
    with staged_folder(link) as stage:
        (stage / "index.html").write_text("new")
    assert link.is_symlink() and (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in site.parent.iterdir()) == ["link", "site"]


@pytest.mark.parametrize("out", [".", ".."])
def test_the_working_folder_or_one_containing_it_is_refused(tmp_path, monkeypatch, out):
    (tmp_path / "inner").mkdir()
    monkeypatch.chdir(tmp_path / "inner")
    with pytest.raises(OutputError) as info:
        with staged_folder(out):
            pass
    assert info.value.reason.startswith("is the working folder or contains it")


def test_the_swap_is_one_atomic_exchange_on_linux(site, monkeypatch):
    if atomic._RENAMEAT2 is None:
        pytest.skip("no renameat2 here")
    monkeypatch.setattr(os, "replace", fail(errno.EPERM))  # a second rename would fail
    with staged_folder(site) as stage:
        (stage / "index.html").write_text("new")
    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_dead_runs_are_removed_and_a_half_swap_is_put_back(tmp_path):
    pid = _dead_pid()
    target = tmp_path / "site"
    stage = tmp_path / f".site.{pid}.abc.tmp"
    stage.mkdir()
    (stage / ".partnernet").write_text("x")
    old = tmp_path / f".site.old.{pid}.def.tmp"
    old.mkdir()
    (old / ".partnernet").write_text("x")
    (old / "index.html").write_text("old")
    foreign = tmp_path / f".site.{pid}.xyz.tmp"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not ours")
    mine = tmp_path / f".site.{os.getpid()}.own.tmp"
    mine.mkdir()
    atomic.clean_stale(target, ".partnernet")
    assert (target / "index.html").read_text() == "old"  # put back: the run died between the renames
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([foreign.name, mine.name, "site"])
