"""Fixtures shared by every test file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from csintake.catalog import shipped_dir


@pytest.fixture
def shipped_bank_path() -> Path:
    """The bank shipped with csintake."""
    path = shipped_dir() / "library-customer-service.yaml"
    assert path.is_file(), path
    return path


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A private store, cache and home folder for each test, and plain, fixed-width terminal
    output: nothing a test runs (in process or as a child) writes into the user's folders."""
    home = tmp_path_factory.mktemp("csintake-home")
    monkeypatch.setenv("CSINTAKE_HOME", str(home))
    user = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("CSINTAKE_CACHE", str(user / "csintake-cache"))
    # What platformdirs reads, for code that asks it directly rather than through the
    # variables above.
    monkeypatch.setenv("HOME", str(user))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(user / name.lower()))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return home


@pytest.fixture
def csintake_home(_isolated_env: Path) -> Path:
    """The store folder ``CSINTAKE_HOME`` points at during the test."""
    return _isolated_env


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner; stdout and stderr are kept apart (``result.stdout``, ``result.stderr``)."""
    return CliRunner()
