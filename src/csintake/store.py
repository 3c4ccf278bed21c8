"""The store: a folder of session files."""

from __future__ import annotations

import os
from pathlib import Path


def store_dir(option: Path | None = None) -> Path:
    """``--store``, else ``CSINTAKE_HOME``, else the platform's user data folder."""
    if option is not None:
        return option.expanduser()
    env = os.environ.get("CSINTAKE_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("csintake", appauthor=False)
