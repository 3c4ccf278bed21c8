"""Fixtures shared by every test file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csintake.bank.catalog import shipped_dir


@pytest.fixture
def shipped_bank_path() -> Path:
    """The bank shipped with csintake."""
    path = shipped_dir() / "library-customer-service.yaml"
    assert path.is_file(), path
    return path


def user_folders(root: Path) -> dict[str, str]:
    """Environment variables that put every folder csintake writes for a user under ``root``:
    the bank cache, and what platformdirs reads for code that asks it directly."""
    folders = {"CSINTAKE_CACHE": str(root / "csintake-cache"), "HOME": str(root)}
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        folders[name] = str(root / name.lower())
    return folders


def pytest_configure(config: pytest.Config) -> None:
    """Private user folders before any test module is imported: some load banks (which
    leaves a marker in the bank cache) at import time, before any fixture runs."""
    root = Path(tempfile.mkdtemp(prefix="csintake-tests-"))
    config.add_cleanup(lambda: shutil.rmtree(root, ignore_errors=True))
    os.environ.update(user_folders(root))
    os.environ["CSINTAKE_HOME"] = str(root / "store")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The hardening tests (fuzzing, crashes, many processes) are ``slow``: the fast part of
    the suite is ``-m "not e2e and not slow"``."""
    for item in items:
        if "hardening" in item.path.parts:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A private store, cache and home folder for each test, and plain, fixed-width terminal
    output: nothing a test runs (in process or as a child) writes into the user's folders."""
    home = tmp_path_factory.mktemp("csintake-home")
    monkeypatch.setenv("CSINTAKE_HOME", str(home))
    for name, value in user_folders(tmp_path_factory.mktemp("user")).items():
        monkeypatch.setenv(name, value)
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
