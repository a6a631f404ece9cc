"""Atomic writes: a file or a whole folder appears complete or not at all.

A file is written to a temporary name in the target folder, flushed, fsynced and
renamed over the target (a rename within one folder is atomic). A folder is
built beside the target and swapped in. Whatever fails — permission denied, a
read-only or full disk, a path that is a file — the previous output is left
intact, no temporary file remains, and an :class:`OutputError` names the path.

Text is always UTF-8, whatever the locale.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENOTDIR: "a path component is a file, not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENAMETOOLONG: "file name too long",
    errno.EEXIST: "already exists",
}

_TMP_SUFFIX = ".tmp"


def os_reason(exc: OSError) -> str:
    """A short, stable reason for an OS error (no Python class names)."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once: changing the umask is process-wide
_NEW_FILE_MODE = 0o666 & ~_UMASK


def _check_folder(folder: Path) -> None:
    """The nearest existing ancestor of ``folder`` (or itself) must be a folder."""
    for p in (folder, *folder.parents):
        if p.exists():
            if not p.is_dir():
                raise OutputError(p, "is a file, not a folder")
            return


def _make_folder(folder: Path) -> None:
    _check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(folder, os_reason(exc)) from None


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (best effort: not every platform can open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders.

    A replaced file keeps its permission bits; a new one gets the usual
    ``0o666 & ~umask``. Raises :class:`OutputError` naming the path on any OS
    failure; the previous file, if any, is left untouched and no temporary
    file remains.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(path, "is a folder, not a file")
    _make_folder(path.parent)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = _NEW_FILE_MODE
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=_TMP_SUFFIX, dir=path.parent)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(path, os_reason(exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _fsync_folder(path.parent)
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 (whatever the locale) atomically."""
    return write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def staged_folder(target: str | os.PathLike) -> Iterator[Path]:
    """Build a folder beside ``target`` and swap it in when the block succeeds.

    Yields the temporary folder to fill. On an exception the temporary folder is
    removed and ``target`` stays as it was. On success the old ``target`` is
    moved aside, the new one renamed into place and the old one deleted.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(target, "is a file, not a folder")
    parent = target.parent
    _make_folder(parent)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_TMP_SUFFIX, dir=parent))
    except OSError as exc:
        raise OutputError(target, os_reason(exc)) from None
    old, moved = None, False
    try:
        yield stage
        os.chmod(stage, 0o777 & ~_UMASK)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", suffix=_TMP_SUFFIX, dir=parent))
            os.replace(target, old)  # POSIX: a folder may be renamed over an empty folder
            moved = True
        try:
            os.replace(stage, target)
        except OSError:
            if moved:
                os.replace(old, target)
                moved = False
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        _fsync_folder(parent)
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        if old is not None and not moved:
            with contextlib.suppress(OSError):
                os.rmdir(old)
        if isinstance(exc, OSError):
            raise OutputError(target, os_reason(exc)) from None
        raise
