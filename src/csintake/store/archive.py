"""Sessions put away: moved into ``STORE/archive/``, out of ``sessions`` and ``report``.

Nothing is deleted: archiving and restoring move the one file, never over another one, while
holding the session's lock (a session open on a call cannot be moved under it).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from csintake.errors import SessionNotFoundError, StoreError
from csintake.store.store import Store, valid_id

ARCHIVE = "archive"


def archive_store(store: Store) -> Store:
    """The archived sessions, as a store of their own."""
    return Store(store.root / ARCHIVE)


def archive(store: Store, session_id: str) -> Path:
    """Move a session into the archive; returns where it now is."""
    return _move(store, archive_store(store), session_id, "archived")


def restore(store: Store, session_id: str) -> Path:
    """Bring an archived session back into the store; returns where it now is."""
    return _move(archive_store(store), store, session_id, "in the store")


def _move(source: Store, target: Store, session_id: str, there: str) -> Path:
    if not valid_id(session_id) or not source.exists(session_id):
        if target.exists(session_id):
            raise SessionNotFoundError(f"session '{session_id}' is already {there}")
        raise SessionNotFoundError(f"no session '{session_id}' in {source.root}")
    home = source if source.root.name != ARCHIVE else target
    src, dst = source.path(session_id), target.path(session_id)
    with home.lock(session_id):
        try:
            dst.parent.mkdir(parents=True, exist_ok=True)
            # A hard link never replaces a file; the original goes only once the copy is in place.
            os.link(src, dst)
        except FileExistsError:
            raise StoreError(f"{dst}: a session with this id is already there") from None
        except OSError as exc:
            raise StoreError(f"{dst}: cannot move the session: {exc.strerror or exc}") from None
        try:
            src.unlink()
        except OSError as exc:
            raise StoreError(f"{src}: cannot remove after moving: {exc.strerror or exc}") from None
        for folder in {src.parent, dst.parent}:
            _fsync_dir(folder)
    return dst


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
