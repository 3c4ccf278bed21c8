"""Reading a file that a user named: a regular file only, and only so much of it.

Banks, templates, answers files and session files are small. A path may still name
``/dev/zero`` (endless), a FIFO (``open`` waits for a writer that never comes), a folder or a
terminal; reading any of those whole would hang or take all the memory. The file is opened
without blocking, checked to be a regular file on the descriptor itself (no race with a
rename), and read up to a ceiling. Every refusal is an ``OSError`` whose ``strerror`` says
why, so callers report it like any other file that cannot be read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

# A bank of a few hundred questions is under 100 KB; a template is smaller still.
MAX_BYTES = 8 << 20
# A session file holds every answer and their history: a 1 MB answer must fit many times.
MAX_SESSION_BYTES = 64 << 20

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def read_regular(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; ``OSError`` for anything else or more."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except ValueError:
        raise OSError(errno.EINVAL, "the path holds a NUL character", str(path)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"not a regular file ({_kind(mode)})", str(path))
        with os.fdopen(os.dup(fd), "rb") as handle:
            return _bounded(handle, limit, str(path))
    finally:
        os.close(fd)


def read_stream(stream: BinaryIO, limit: int = MAX_BYTES, name: str = "<stdin>") -> bytes:
    """At most ``limit`` bytes from a stream (standard input); more is an ``OSError``."""
    return _bounded(stream, limit, name)


def _bounded(handle: BinaryIO, limit: int, name: str) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit >> 20} MB", name)
    return data
