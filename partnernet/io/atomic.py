"""Atomic writes: a file or a whole folder appears complete or not at all.

A file is written to a temporary name in the target folder, flushed, fsynced and
renamed over the target (a rename within one folder is atomic). A folder is
built beside the target and swapped in. Whatever fails — permission denied, a
read-only or full disk, a path that is a file — the previous output is left
intact, no temporary file remains, and an :class:`OutputError` names the path.

Special targets: a symbolic link is written through (the link stays, its
target is replaced atomically); a FIFO or a character device (``/dev/null``,
``/dev/stdout``) is written to in place, never replaced by a regular file; a
block device or a socket is refused. A name longer than the file system
allows, or a folder that is or contains the working folder, is refused before
any work.

A folder is swapped in by one atomic exchange where the platform has one
(Linux ``renameat2(RENAME_EXCHANGE)``), else by two renames. Staging folders
carry the creating process's id in their names (``.NAME.PID.*.tmp``, the old
folder of a two-rename swap ``.NAME.old.PID.*.tmp``); the next run beside the
same target removes those of processes that are gone, and puts an old folder
back when a run was killed between the two renames.

Text is always UTF-8, whatever the locale.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
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

#: A name and a whole path, in bytes, as most file systems limit them (read from the system where it says).
NAME_MAX = 255
PATH_MAX = 4096
_SHOWN_PATH = 120


def _shown(path: Path) -> str:
    """A path for a message: cut in the middle when very long."""
    text = str(path)
    return text if len(text) <= _SHOWN_PATH else f"{text[:70]}…{text[-40:]}"


def check_path(path: str | os.PathLike) -> Path:
    """Refuse a path the file system cannot hold: a name over :data:`NAME_MAX` bytes, a path over
    :data:`PATH_MAX`. Checked before any work, so a run never fails at its last step for a name."""
    path = Path(path)
    full = len(os.fsencode(os.path.abspath(path)))
    if full >= PATH_MAX:
        raise OutputError(_shown(path), f"path too long ({full:,} bytes; at most {PATH_MAX - 1:,})")
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            raise OutputError(_shown(path), f"file name too long ({size:,} bytes in one name; at most {NAME_MAX})")
    return path


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str | None:
    """What a special file is (None for a regular file or a folder)."""
    return next((name for test, name in _KINDS if test(mode)), None)


def _stat(path: Path) -> os.stat_result | None:
    """``os.stat`` (following links), None when nothing is there; other failures are an OutputError."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise OutputError(_shown(path), os_reason(exc)) from None


def _through_link(path: Path) -> Path:
    """The file a symbolic link points to (the link itself is never replaced)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


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
        if os.path.exists(p):
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
    ``0o666 & ~umask``. A symbolic link is written through; a FIFO or a
    character device is written to in place (not atomically: it is not a
    file); a block device or a socket is refused. Raises :class:`OutputError`
    naming the path on any OS failure; the previous file, if any, is left
    untouched and no temporary file remains.
    """
    path = check_path(path)
    st = _stat(path)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(path, "is a folder, not a file")
    kind = None if st is None else _kind(st.st_mode)
    if kind in ("a FIFO", "a character device"):
        _write_in_place(path, data)
        return path
    if kind is not None:
        raise OutputError(path, f"is {kind}; partnernet writes only to files, FIFOs and character devices")
    shown, path = path, _through_link(path)
    _make_folder(path.parent)
    mode = stat.S_IMODE(st.st_mode) if st is not None else _NEW_FILE_MODE
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=_TMP_SUFFIX, dir=path.parent)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(shown, os_reason(exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _fsync_folder(path.parent)
    return shown


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_in_place(path: Path, data: bytes) -> None:
    """Write into an existing FIFO or character device (opened without creating or truncating)."""
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(path, os_reason(exc)) from None


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 (whatever the locale) atomically."""
    return write_bytes(path, text.encode("utf-8"))


# --- folders -------------------------------------------------------------------------------------


def output_folder(target: str | os.PathLike) -> Path:
    """The folder a staged write replaces, checked before any work: a symbolic link is followed (the link
    stays, the folder it points to is replaced); a name too long, a path that is not a folder, or the
    working folder (or one that contains it, which cannot be swapped while in use) raise :class:`OutputError`."""
    given = check_path(target)
    st = _stat(given)
    if st is not None and not stat.S_ISDIR(st.st_mode):
        kind = _kind(st.st_mode) or "a file"
        raise OutputError(given, f"is {kind}, not a folder")
    real = Path(os.path.realpath(given))
    with contextlib.suppress(OSError):
        cwd = Path(os.path.realpath(os.getcwd()))
        if real == cwd or real in cwd.parents:
            raise OutputError(given, "is the working folder or contains it, and cannot be replaced while in "
                                     "use; choose another --out (e.g. a subfolder)")
    return real


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (another user's counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def stale(pattern: re.Pattern[str], folder: Path) -> Iterator[tuple[Path, re.Match[str]]]:
    """Entries of ``folder`` whose names match ``pattern`` (group ``pid``), owned by this user, of a
    process that is gone: what a killed run of partnernet left behind."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_uid == os.getuid():
                yield Path(entry.path), match


def _stage_names(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.(?P<old>old\.)?(?P<pid>\d+)\.[^/]*{re.escape(_TMP_SUFFIX)}")


def clean_stale(target: Path, marker: str) -> None:
    """Remove the staging folders of dead runs beside ``target`` (only those empty or holding ``marker``),
    and put back the old folder of a run killed between the two renames of its swap."""
    for path, match in stale(_stage_names(target), target.parent):
        if path.is_symlink() or not path.is_dir():
            continue
        with contextlib.suppress(OSError):
            if not (path / marker).is_file() and any(path.iterdir()):
                continue  # not partnernet's
            if match["old"] and not os.path.lexists(target):
                os.rename(path, target)
            else:
                shutil.rmtree(path)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2():
    """libc's ``renameat2`` (Linux, glibc 2.28+), or None."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one atomic step; False where the platform or file system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def staged_folder(target: str | os.PathLike, *, marker: tuple[str, bytes] | None = None) -> Iterator[Path]:
    """Build a folder beside ``target`` and swap it in when the block succeeds.

    Yields the temporary folder to fill (holding ``marker``, a file name and its bytes, from the start,
    so that a later run knows it as partnernet's). On an exception the temporary folder is removed and
    ``target`` stays as it was. On success the new folder and the old ``target`` are exchanged
    atomically (or, without an exchange, the old one is moved aside and the new one renamed into
    place) and the old one deleted. The leftovers of killed runs are cleaned first
    (:func:`clean_stale`); a symbolic link ``target`` is followed (:func:`output_folder`).
    """
    given = Path(target)
    target = output_folder(given)
    parent = target.parent
    _make_folder(parent)
    if marker is not None:
        clean_stale(target, marker[0])
    pid = os.getpid()
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.{pid}.", suffix=_TMP_SUFFIX, dir=parent))
        if marker is not None:
            (stage / marker[0]).write_bytes(marker[1])
    except OSError as exc:
        raise OutputError(given, os_reason(exc)) from None
    old, moved = None, False
    try:
        yield stage
        os.chmod(stage, 0o777 & ~_UMASK)
        if target.exists() and exchange(stage, target):
            stage, old, moved = old, stage, True  # ``old`` now holds the previous folder
        else:
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.{pid}.", suffix=_TMP_SUFFIX, dir=parent))
                os.replace(target, old)  # POSIX: a folder may be renamed over an empty folder
                moved = True
            try:
                os.replace(stage, target)
            except OSError:
                if moved:
                    os.replace(old, target)
                    moved = False
                raise
            stage = None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        _fsync_folder(parent)
    except BaseException as exc:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        if old is not None and not moved:
            with contextlib.suppress(OSError):
                os.rmdir(old)
        if isinstance(exc, OSError):
            raise OutputError(given, os_reason(exc)) from None
        raise
