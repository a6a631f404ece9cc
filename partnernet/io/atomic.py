"""Atomic writes: a file or a whole folder appears complete or not at all.

A file is written to a temporary name in the target folder, flushed, fsynced and
renamed over the target. A folder is built beside the target and swapped in, so
an interrupted run leaves the previous output intact and no temporary files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
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
}


def os_reason(exc: OSError) -> str:
    """A short, stable reason for an OS error (no Python class names)."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def _check_parent(path: Path) -> None:
    parent = path.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(parent, "is a file, not a folder")
    if path.is_dir():
        raise OutputError(path, "is a folder, not a file")


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders.

    Raises :class:`OutputError` naming the path on any OS failure; the previous
    file, if any, is left untouched and no temporary file remains.
    """
    path = Path(path)
    _check_parent(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path.parent, os_reason(exc)) from None
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(path, os_reason(exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
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
    if parent.exists() and not parent.is_dir():
        raise OutputError(parent, "is a file, not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(parent, os_reason(exc)) from None
    try:
        yield stage
        os.chmod(stage, 0o755)
        old = None
        if target.exists():
            old = parent / f".{target.name}.old.{os.getpid()}"
            os.replace(target, old)
        try:
            os.replace(stage, target)
        except OSError:
            if old is not None:
                os.replace(old, target)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise OutputError(target, os_reason(exc)) from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
