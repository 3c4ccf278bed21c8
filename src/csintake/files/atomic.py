"""Atomic writes: a file is replaced whole or not at all (temporary file, fsync, rename),
and a new file appears whole; shared by the store, the caches and exports.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from csintake.errors import (
    StoreError,
)


def _strerror(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return exc.strerror or str(exc)


def write_atomic(path: Path, text: str, *, private: bool = True) -> None:
    """Replace ``path`` with ``text`` so that readers see the old or the new file, whole.

    Session files are ``private`` (0600: they hold what clients said); exports such as a
    brief or a CSV get the permissions any new file would (the umask), or keep those of the
    file they replace.
    """
    data = text.encode("utf-8")
    if path.exists() and not path.is_file():
        # A FIFO, a terminal or /dev/stdout (`brief -o /dev/stdout`) is a stream to write
        # to; renaming a file over it would replace the device or pipe itself.
        _write_stream(path, data)
        return
    # Through a symlink to the file it names: the link stays a link.
    path = Path(os.path.realpath(path))
    folder = path.parent
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        if not private:
            os.fchmod(fd, _export_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
        tmp = None
    except OSError as exc:
        raise StoreError(
            f"{path}: cannot write: {_strerror(exc)}; the previous file is intact"
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
    try:
        _fsync_dir(folder)
    except OSError as exc:
        raise StoreError(
            f"{path}: written, but the folder could not be synced: {_strerror(exc)}"
        ) from None


def _export_mode(path: Path) -> int:
    """The mode of the file being replaced, else what the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_new(path: Path, text: str) -> bool:
    """Create ``path`` holding ``text``; False when a file of that name already exists.

    The file is whole from the moment its name appears: written and fsynced under a
    temporary name, then hard-linked to ``path``, which, like ``O_EXCL``, fails when another
    process took the name first. (An empty file reserved with ``O_EXCL`` and filled in
    afterwards was listed as "empty session file" by a ``sessions`` running meanwhile, and
    stayed empty for good when the process was killed in between.)
    """
    folder = path.parent
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            return _write_new_without_links(path, text)
        _fsync_dir(folder)
        return True
    except OSError as exc:
        raise StoreError(f"{path}: cannot create: {_strerror(exc)}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


# A file system without hard links (some network and FUSE mounts).
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}


def _write_new_without_links(path: Path, text: str) -> bool:
    try:
        # O_EXCL reserves the name; the content follows at once, atomically.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    try:
        write_atomic(path, text)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return True


def _write_stream(path: Path, data: bytes) -> None:
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a file")
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {_strerror(exc)}") from None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
