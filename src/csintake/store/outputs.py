"""Files a command writes at the user's request (``brief -o``, ``report --csv``).

An export names any path, and a slip of the hand (``-o STORE/ID.yaml``, ``-o bank.yaml``)
would replace a session with a brief: every answer gone, with no way back. An export is
therefore never written into the store, nor over a file that is a session or a bank, however
the path reaches it (``..``, a symlink, a hard link).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from csintake.errors import StoreError
from csintake.files.atomic import write_atomic

# The top-level key every session and bank file starts from, in YAML or in JSON.
_OURS = re.compile(rb'^(?:format|"format")\s*:\s*["\']?csintake/(?:bank|session)@', re.M)
_SNIFF = 64 << 10


def write_export(path: Path, text: str, store: Path) -> None:
    """Write an export to ``path`` (a file, a FIFO, a device), refusing store and bank files."""
    refuse_protected(path, store)
    write_atomic(path, text, private=False)


def refuse_protected(path: Path, store: Path) -> None:
    """``StoreError`` when writing ``path`` would replace a file csintake keeps."""
    target = os.path.realpath(path)
    root = os.path.realpath(store)
    if os.path.commonpath([target, root]) == root:
        raise StoreError(
            f"{path}: is inside the store ({store}), where only csintake writes;"
            " choose a file elsewhere"
        )
    if _is_ours(target):
        raise StoreError(
            f"{path}: is a csintake bank or session file and would be lost; choose another file"
        )


def _is_ours(target: str) -> bool:
    """Whether the existing regular file at ``target`` is a bank or a session file."""
    file = Path(target)
    if not file.is_file():
        return False  # nothing there, or a FIFO or device to write into
    try:
        with file.open("rb") as handle:
            head = handle.read(_SNIFF)
    except OSError:
        return False
    return _OURS.search(head) is not None
