"""Start-up: each command imports only what it needs. Checked in a fresh interpreter, by the
modules loaded once the command has run (no timings: benchmarks live in bench/)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import typer

from csintake.bank import cache as bankcache
from csintake.bank import checker, loader
from csintake.cli import app
from csintake.errors import BankError
from csintake.files.fingerprint import code_fingerprint
from helpers import MINIMAL_BANK, write_bank

DATA = Path(__file__).parent / "data"
BENCH = Path(__file__).parents[1] / "bench"
HEAVY = ("questionary", "prompt_toolkit", "jinja2", "pydantic", "yaml", "rich", "sqlite3")

_PROBE = textwrap.dedent(
    """
    import json, sys
    sys.argv = ["csintake", *json.loads(sys.argv[1])]
    from csintake.cli import main
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    loaded = sorted({name.split(".")[0] for name in sys.modules})
    sys.stderr.write("\\n" + json.dumps({"code": code, "modules": loaded}) + "\\n")
    """
)


def loaded_by(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages imported by ``csintake ARGS`` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), done.stderr
    return set(report["modules"]) & set(HEAVY)


def test_help_imports_no_heavy_library() -> None:
    assert loaded_by("--help") == set()
    assert loaded_by("--version") == set()


def test_every_command_s_help_imports_no_heavy_library() -> None:
    # typer itself builds its parameter converters with pydantic once a command is named
    # (a bare typer app does the same): pydantic is not ours to avoid here.
    for command in ("interview", "sessions", "show", "brief", "report", "bank"):
        assert loaded_by(command, "--help") <= {"pydantic"}, command


@pytest.fixture
def session(tmp_path: Path) -> tuple[Path, str]:
    store = tmp_path / "store"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "csintake", "--store", str(store), "interview"),
            *("--no-input", "--client", "Ames Public Library"),
            *("--answers", str(DATA / "answers-both.yaml")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return store, done.stdout.strip()


def test_a_json_brief_needs_no_prompt_or_template_library(session: tuple[Path, str]) -> None:
    store, session_id = session
    found = loaded_by("--store", str(store), "brief", session_id, "--format", "json")
    assert not found & {"questionary", "prompt_toolkit", "jinja2", "rich", "sqlite3"}


def test_a_markdown_brief_needs_no_prompt_or_template_library(session: tuple[Path, str]) -> None:
    store, session_id = session
    found = loaded_by("--store", str(store), "brief", session_id, "--format", "markdown")
    assert not found & {"questionary", "prompt_toolkit", "jinja2", "rich", "sqlite3"}


def test_only_a_template_of_ones_own_needs_jinja2(
    session: tuple[Path, str], tmp_path: Path
) -> None:
    store, session_id = session
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ brief.client | md_cell }}\n", encoding="utf-8")
    found = loaded_by("--store", str(store), "brief", session_id, "--template", str(template))
    assert "jinja2" in found


def test_listing_and_reporting_need_no_prompt_or_template_library(
    session: tuple[Path, str],
) -> None:
    store, _ = session
    for args in (("sessions",), ("sessions", "--json"), ("report",), ("report", "--json")):
        found = loaded_by("--store", str(store), *args)
        assert not found & {"questionary", "prompt_toolkit", "jinja2"}, args


# --------------------------------------------------------------- the benchmark's reference


def _load_bare_app() -> typer.Typer:
    spec = importlib.util.spec_from_file_location("bare_app", BENCH / "bare_app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    bare: typer.Typer = module.app
    return bare


def test_the_bare_reference_app_matches_csintake() -> None:
    bare = typer.main.get_command(_load_bare_app())
    real = typer.main.get_command(app)
    assert _commands(bare) == _commands(real)


def _commands(group: Any) -> dict[str, Any]:
    """Each command's option names (an argument's name), and its subcommands', by name."""
    found: dict[str, Any] = {"": sorted(sorted(p.opts) for p in group.params)}
    for name, command in getattr(group, "commands", {}).items():
        found[name] = _commands(command)
    return found


# ------------------------------------------------------------------- checked bank cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CSINTAKE_CACHE", str(folder))
    return folder


def test_a_bank_checked_once_is_not_checked_again(
    cache: Path, shipped_bank_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = loader.load_bank(shipped_bank_path)
    markers = list((cache / "banks").iterdir())
    assert [m.name for m in markers] == [f"{first.sha256}-{code_fingerprint()[:16]}.json"]

    def no_check(raw: bytes, name: str) -> Any:
        raise AssertionError("checked again")

    monkeypatch.setattr(checker, "check_bytes", no_check)
    again = loader.load_bank(shipped_bank_path)
    assert again.bank == first.bank
    assert again.sha256 == first.sha256


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: m.write_text("{not json"),
        lambda m: m.write_bytes(b"\xff\xfe"),
        lambda m: m.write_text("[]"),
        lambda m: m.write_text(m.read_text().replace('"data": "', '"data": "0')),
        lambda m: m.write_text(m.read_text().replace('"code": "', '"code": "0')),
        lambda m: m.write_text(m.read_text().replace("bank-checked@1", "bank-checked@0")),
        lambda m: m.unlink(),
    ],
)
def test_a_damaged_or_stale_marker_means_a_full_check(
    cache: Path, tmp_path: Path, damage: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = write_bank(tmp_path, MINIMAL_BANK)
    expected = loader.load_bank(bank)
    (marker,) = (cache / "banks").iterdir()
    damage(marker)
    calls: list[str] = []
    check = checker.check_bytes

    def counting(raw: bytes, name: str) -> Any:
        calls.append(name)
        return check(raw, name)

    monkeypatch.setattr(checker, "check_bytes", counting)
    assert loader.load_bank(bank).bank == expected.bank
    assert calls == [str(bank)]


def test_a_marker_never_lets_another_file_through(cache: Path, tmp_path: Path) -> None:
    """A marker names the exact bytes it vouches for: a broken bank, even one whose marker
    is put in the good bank's place, is checked and refused."""
    good = write_bank(tmp_path, MINIMAL_BANK, "good.yaml")
    loaded = loader.load_bank(good)
    broken_text = MINIMAL_BANK.replace("when: staff > 25", "when: nobody > 25")
    broken = write_bank(tmp_path, broken_text, "broken.yaml")
    sha = hashlib.sha256(broken.read_bytes()).hexdigest()
    code = code_fingerprint()[:16]
    folder = cache / "banks"
    (folder / f"{loaded.sha256}-{code}.json").rename(folder / f"{sha}-{code}.json")
    with pytest.raises(BankError, match="unknown question 'nobody'"):
        loader.load_bank(broken)
    with pytest.raises(BankError, match="unknown question 'nobody'"):
        loader.load_bank(broken)


def test_two_installs_sharing_a_cache_keep_a_marker_each(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = write_bank(tmp_path, MINIMAL_BANK)
    monkeypatch.setattr(bankcache, "_code", lambda: "a" * 64)
    loader.load_bank(bank)
    monkeypatch.setattr(bankcache, "_code", lambda: "b" * 64)
    loader.load_bank(bank)
    assert len(list((cache / "banks").iterdir())) == 2
    calls: list[str] = []

    def counting(raw: bytes, name: str) -> Any:
        calls.append(name)
        raise AssertionError("checked again")

    monkeypatch.setattr(checker, "check_bytes", counting)
    for code in ("a", "b", "a"):
        monkeypatch.setattr(bankcache, "_code", lambda code=code: code * 64)
        assert loader.load_bank(bank).bank.id == "mini"
    assert calls == []


def test_an_unwritable_cache_is_only_slower(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("CSINTAKE_CACHE", str(blocked))
    bank = write_bank(tmp_path, MINIMAL_BANK)
    assert loader.load_bank(bank).bank.id == "mini"
    assert loader.load_bank(bank).bank.id == "mini"
