"""Where banks are found: shipped with csintake, in the store's ``banks/`` folder, or a path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import NamedTuple

from csintake.bank.loader import LoadedBank, load_bank
from csintake.errors import BankError, CsintakeError, Problem, YamlError
from csintake.files.yamlfile import load_file


class BankEntry(NamedTuple):
    """A bank file as listed by ``bank list``: read cheaply, not fully checked."""

    id: str
    version: str
    title: str
    questions: int
    path: Path
    origin: str  # "shipped" | "store"
    problem: str = ""


# A bank's examples sit beside it (``my-bank.tests.yaml``); they are not a bank themselves.
TESTS_SUFFIX = ".tests.yaml"


def shipped_dir() -> Path:
    """The folder of banks installed with csintake (or the repository's, when run from it)."""
    packaged = Path(str(resources.files("csintake"))) / "questions"
    if packaged.is_dir():
        return packaged
    # An editable install runs from src/: the banks are at the repository's top level.
    return Path(__file__).resolve().parents[3] / "questions"


def bank_files(store: Path) -> list[tuple[Path, str]]:
    """Every bank file with its origin, shipped ones first, each folder in name order."""
    found: list[tuple[Path, str]] = []
    for folder, origin in ((shipped_dir(), "shipped"), (store / "banks", "store")):
        if folder.is_dir():
            found.extend(
                (p, origin)
                for p in sorted(folder.iterdir())
                if p.suffix in (".yaml", ".yml") and not p.name.endswith(TESTS_SUFFIX)
            )
    return found


def list_banks(store: Path) -> list[BankEntry]:
    """A summary of each bank file that can be found; broken files are listed with why."""
    entries: list[BankEntry] = []
    for path, origin in bank_files(store):
        try:
            data = load_file(path).value
        except YamlError as exc:
            entries.append(BankEntry(path.stem, "?", "?", 0, path, origin, exc.lines()[0]))
            continue
        if not isinstance(data, dict):
            entries.append(BankEntry(path.stem, "?", "?", 0, path, origin, "not a bank"))
            continue
        sections = data.get("sections")
        count = 0
        if isinstance(sections, list):
            for s in sections:
                if isinstance(s, dict) and isinstance(s.get("questions"), list):
                    count += len(s["questions"])
        entries.append(
            BankEntry(
                str(data.get("id", path.stem)),
                str(data.get("version", "?")),
                str(data.get("title", "")),
                count,
                path,
                origin,
            )
        )
    return entries


def find_bank(ref: str, store: Path) -> LoadedBank:
    """A bank by path (anything with a slash or a YAML suffix that exists) or by id."""
    candidate = Path(ref).expanduser()
    looks_like_path = "/" in ref or candidate.suffix in (".yaml", ".yml", ".json")
    if looks_like_path or candidate.is_file():
        if not candidate.is_file():
            raise BankError([Problem(ref, 0, 0, "no such bank file")])
        return load_bank(candidate, ref)
    entries = list_banks(store)
    # A consultant's own bank in STORE/banks/ overrides a shipped one with the same id.
    matches = sorted((e for e in entries if e.id == ref), key=lambda e: e.origin != "store")
    for entry in matches:
        if not entry.problem:
            return load_bank(entry.path)
    if matches:
        # Only a file that does not even parse has that name: say what is wrong with it.
        return load_bank(matches[0].path)
    known = ", ".join(sorted({e.id for e in entries if not e.problem})) or "none"
    raise CsintakeError(f"no bank with id '{ref}' (known: {known})")


DEFAULT_BANK = "library-customer-service"
