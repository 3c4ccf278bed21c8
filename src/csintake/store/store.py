"""The store: a folder of session files, written atomically, one process per session.

``STORE/<id>.yaml`` is the only source of truth for a session. Every write goes to a
temporary file in the same folder, is fsynced, renamed over the old file, and the folder is
fsynced, so a crash at any moment leaves either the old file or the new one, never a torn one.
A lock file per session (``STORE/.locks/<id>.lock``, held with ``flock``) keeps a second
process out; the kernel releases it when the holder dies, so a killed interview never leaves
a stale lock behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from csintake.errors import (
    Problem,
    SessionLockedError,
    SessionNotFoundError,
    StoreError,
    YamlError,
)
from csintake.files.atomic import _strerror, write_atomic, write_new
from csintake.files.regularfile import MAX_SESSION_BYTES, read_regular
from csintake.files.yamlfile import dump, load_plain, load_text
from csintake.store.session import BankRef, Session
from csintake.store.sessiontext import SessionText

SESSION_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,119}")
# Letters that Unicode does not decompose into ASCII, spelt as people write them in ASCII.
_SPELLED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)


# Files of the store that are not sessions: STORE/profile.yaml is the consultant's profile.
RESERVED_IDS = frozenset({"profile"})


def valid_id(session_id: str) -> bool:
    """Whether ``session_id`` is a slug (so it names a file inside the store and nothing else)
    and not the name of one of the store's other files."""
    return SESSION_ID.fullmatch(session_id) is not None and session_id not in RESERVED_IDS


def store_dir(option: Path | None = None) -> Path:
    """``--store``, else ``CSINTAKE_HOME``, else the platform's user data folder."""
    if option is not None:
        return option.expanduser()
    env = os.environ.get("CSINTAKE_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("csintake", appauthor=False)


def slug(text: str, limit: int = 60) -> str:
    """Lower-case ASCII words joined by hyphens ("Ames Public Library" -> "ames-public-library")."""
    spelled = unicodedata.normalize("NFKC", text).translate(_SPELLED)
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = "-".join(words)[:limit].strip("-")
    return out or "session"


def _maybe_file(entry: os.DirEntry[str]) -> bool:
    """A file, or an entry that cannot even be looked at (a symlink loop): listed, so that
    reading it says what is wrong, rather than hidden or stopping the whole listing."""
    try:
        return entry.is_file()
    except OSError:
        return True


class Store:
    """Session files in one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Each saved session's text, so that a save re-dumps only the entries that changed.
        self._texts: dict[str, SessionText] = {}

    # ---------------------------------------------------------------------- naming

    def path(self, session_id: str) -> Path:
        """The file of a session; ids are slugs, so no id can reach outside the store."""
        if not valid_id(session_id):
            raise SessionNotFoundError(f"no session '{session_id}' (ids are like ames-2026-11-28)")
        return self.root / f"{session_id}.yaml"

    def exists(self, session_id: str) -> bool:
        return valid_id(session_id) and self.path(session_id).is_file()

    def _ensure(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the store: {_strerror(exc)}") from None

    # ------------------------------------------------------------------- sessions

    def create(
        self,
        client: str,
        bank: BankRef,
        consultant: str | None = None,
        day: dt.date | None = None,
    ) -> Session:
        """A new session with a unique id from the client's name and the date, on disk."""
        self._ensure()
        # The consultant's own calendar day: a call at 5 pm in Iowa is not tomorrow's session.
        day = day or dt.date.today()
        base = f"{slug(client)}-{day.isoformat()}"
        for n in range(1, 10_000):
            session_id = base if n == 1 else f"{base}-{n}"
            path = self.path(session_id)
            if path.exists():
                continue
            session = Session(id=session_id, bank=bank, client=client, consultant=consultant)
            if write_new(path, dump(session.to_data())):
                return session
        raise StoreError(f"too many sessions named {base}")

    def load(self, session_id: str) -> Session:
        path = self.path(session_id)
        try:
            text = read_regular(path, MAX_SESSION_BYTES).decode("utf-8")
        except FileNotFoundError:
            raise SessionNotFoundError(f"no session '{session_id}' in {self.root}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot read: {_strerror(exc)}") from None
        except UnicodeDecodeError as exc:
            raise StoreError(f"{path}: cannot read: {exc}") from None
        session = parse_session(text, str(path))
        if session.id != session_id:
            # Saving would write another session's file: refuse rather than guess.
            raise StoreError(
                f"{path}: the file says it is session '{session.id}', not '{session_id}'"
            )
        return session

    def save(self, session: Session) -> None:
        """Write atomically: temporary file, fsync, rename, fsync the folder."""
        self._ensure()
        path = self.path(session.id)
        text = self._texts.setdefault(session.id, SessionText()).text(session)
        write_atomic(path, text)

    def ids(self) -> list[str]:
        """Every session id in the store (unordered)."""
        if not self.root.is_dir():
            return []
        return [
            p.name[:-5]
            for p in os.scandir(self.root)
            if p.name.endswith(".yaml") and valid_id(p.name[:-5]) and _maybe_file(p)
        ]

    def read(self, session_id: str) -> tuple[Session | None, str]:
        """A session, or None with the reason it could not be read."""
        try:
            return self.load(session_id), ""
        except (StoreError, YamlError, SessionNotFoundError) as exc:
            return None, "; ".join(exc.lines())

    def all(self) -> Iterator[tuple[str, Session | None, str]]:
        """Each session, or None with the reason it could not be read."""
        for session_id in self.ids():
            yield session_id, *self.read(session_id)

    # ----------------------------------------------------------------------- locks

    @contextlib.contextmanager
    def lock(self, session_id: str) -> Iterator[None]:
        """Hold the session for this process; another holder means exit 3."""
        self.path(session_id)
        folder = self.root / ".locks"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = _open_lock(folder / f"{session_id}.lock")
        except OSError as exc:
            raise StoreError(f"{folder}: cannot lock: {_strerror(exc)}") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SessionLockedError(
                    f"session '{session_id}' is open in another csintake process;"
                    " finish or close it there first"
                ) from None
            try:
                # The pid is a hint for people: on a full disk it is simply missing, and the
                # saves themselves report the full disk.
                with contextlib.suppress(OSError):
                    _write_pid(fd)
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


_LOCK_FLAGS = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_PID = re.compile(rb"[0-9]*\n?")


def _open_lock(path: Path) -> int:
    """The descriptor of a session's lock file, created if need be.

    Whatever stands at that name may have been put there by someone else: a symlink is never
    followed (its target would be truncated), and a FIFO, a device or a file with other names
    (a hard link) is refused rather than written to.
    """
    try:
        return os.open(path, _LOCK_FLAGS | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    try:
        fd = os.open(path, _LOCK_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, f"{path.name} is a symlink; remove it") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise OSError(errno.EINVAL, f"{path.name} is not a lock file of csintake; remove it")
    return fd


def _write_pid(fd: int) -> None:
    """Replace what the lock file holds with our pid, only when all it holds is a pid (or
    nothing): a file of any other content is not ours to empty."""
    if os.fstat(fd).st_size > 32 or _PID.fullmatch(os.pread(fd, 33, 0)) is None:
        return
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def parse_session(text: str, name: str) -> Session:
    """A session from its file's text; a damaged file is a one-line error with its place."""
    if not text.strip():
        raise YamlError([Problem(name, 1, 1, "empty session file")])
    quick, plain = load_plain(text)
    if quick and isinstance(plain, dict):
        with contextlib.suppress(ValidationError):
            return Session.model_validate(plain)
        # Invalid: read again with positions, so that each problem says where it is.
    doc = load_text(text, name)
    data: Any = doc.value
    if not isinstance(data, dict):
        raise YamlError([Problem(name, 1, 1, "not a session file")])
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        from csintake.bank.problems import pydantic_problems

        raise YamlError(pydantic_problems(exc, doc)) from None
