"""Loading a bank: read it, check it (or find it checked before by its hash), and keep it
with its compiled conditions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from csintake.bank import conditions
from csintake.bank.cache import checked_before, remember
from csintake.bank.model import (
    Bank,
)
from csintake.errors import BankError, Problem
from csintake.files.regularfile import read_regular


@dataclass
class LoadedBank:
    """A bank that passed every check, with where it came from and its parsed conditions."""

    bank: Bank
    path: Path
    sha256: str
    _conditions: dict[str, conditions.Condition] = field(default_factory=dict, repr=False)

    def condition(self, text: str) -> conditions.Condition:
        """The parsed condition for ``text`` (already checked, so it parses)."""
        parsed = self._conditions.get(text)
        if parsed is None:
            parsed = self._conditions[text] = conditions.parse(text)
        return parsed


def load_bank(path: Path, display: str | None = None) -> LoadedBank:
    """Load and check a bank file; any problem raises :class:`BankError` listing them all."""
    bank, sha256, problems = check_path(path, display)
    if bank is None or problems:
        raise BankError(problems)
    loaded = LoadedBank(bank, path, sha256)
    for text in bank.condition_texts():
        loaded.condition(text)
    return loaded


def check_path(path: Path, display: str | None = None) -> tuple[Bank | None, str, list[Problem]]:
    """Every problem of a bank file, with the bank and its hash when there are none.

    These exact bytes may have passed every check before, under this same code: the check
    would find what it found then, so they are not checked again.
    """
    name = display or str(path)
    try:
        raw = read_regular(path)
    except OSError as exc:
        return None, "", [Problem(name, 0, 0, f"cannot read: {exc.strerror or exc}")]
    sha256 = hashlib.sha256(raw).hexdigest()
    bank = checked_before(raw, sha256)
    if bank is not None:
        return bank, sha256, []
    from csintake.bank.checker import check_bytes

    bank, problems = check_bytes(raw, name)
    if bank is not None and not problems:
        remember(raw, sha256)
    return bank, sha256, problems
