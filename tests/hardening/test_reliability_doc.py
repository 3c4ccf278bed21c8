"""docs/reliability.md names a test for every guarantee: each named test exists, and every
hardening test is named there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?::(\w+)`")


def named_tests() -> set[tuple[str, str]]:
    """(file, test) for each reference; ``::name`` continues the file named before it."""
    found: set[tuple[str, str]] = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        current = None
        for match in REFERENCE.finditer(line):
            current = match[1] or current
            assert current, f"{match[0]} names no file: {line[:80]}"
            found.add((current, match[2]))
    return found


def defined_tests(path: Path) -> set[str]:
    return set(re.findall(r"^def (test_\w+)\(", path.read_text(encoding="utf-8"), re.M))


def test_every_test_named_in_the_reliability_page_exists() -> None:
    named = named_tests()
    assert len(named) > 40
    for file, test in sorted(named):
        path = ROOT / file
        assert path.is_file(), file
        assert test in defined_tests(path), f"{file}::{test} does not exist"


def test_every_hardening_test_is_named_in_the_reliability_page() -> None:
    named = named_tests()
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        file = str(path.relative_to(ROOT))
        for test in sorted(defined_tests(path)):
            assert (file, test) in named, f"{file}::{test} is not in docs/reliability.md"
