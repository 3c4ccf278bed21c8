"""A fingerprint of csintake's own code, for caches that must not outlive it.

It changes whenever any of csintake's files does (an upgrade, an edit), and reads only file
names, sizes and times, so that finding it costs no import beyond the standard library's.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_CODE: str | None = None


def code_fingerprint() -> str:
    """Changes whenever any of csintake's own files does (an upgrade, an edit)."""
    global _CODE  # noqa: PLW0603 - computed once per process
    if _CODE is None:
        from csintake import __version__

        package = Path(__file__).parents[1]
        parts = [__version__]
        for folder, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if not name.endswith((".pyc", ".pyo")):
                    full = Path(folder, name)
                    try:
                        st = full.stat()
                    except OSError:
                        continue
                    where = full.relative_to(package)
                    parts.append(f"{where}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
        _CODE = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return _CODE
