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
    """A private store for each test, and plain, fixed-width terminal output."""
    home = tmp_path_factory.mktemp("csintake-home")
    monkeypatch.setenv("CSINTAKE_HOME", str(home))
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
