"""Damaged banks: whatever is done to a bank file, checking it gives located problems only.

Random mutations of the shipped bank and of a small valid bank, on the data (delete, rename,
duplicate and retype keys, swap values for random scalars, lists and mappings) and on the text
(truncate, insert random characters, duplicate or drop a line, add YAML tags). Loading must
either succeed or raise BankError/YamlError whose every line is ``FILE:LINE:COL: message``
(or ``FILE: message``), and no tag is ever constructed.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csintake.bank.checker import check_file
from csintake.bank.loader import load_bank
from csintake.errors import BankError, YamlError
from helpers import MINIMAL_BANK

from .common import assert_problem_lines, examples, read_shipped

SHIPPED_TEXT = read_shipped()
SHIPPED_DATA: Any = yaml.safe_load(SHIPPED_TEXT)
MINI_DATA: Any = yaml.safe_load(MINIMAL_BANK)
NAME = "bank.yaml"

MARKER = "/tmp/csintake-hardening-tag-ran"  # a tag that ran would create this file

TAGS = [
    f'!!python/object/apply:os.system ["touch {MARKER}"]',
    f"!!python/object/new:os.system [touch {MARKER}]",
    "!!python/name:os.system",
    "!!python/tuple [1, 2]",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!pairs [a: 1]",
    "!!timestamp 2026-01-01",
    "!!float 1e999",
    "!!int 0x" + "f" * 5000,
    "!!str",
    "!custom value",
    "!<tag:example.com,2000:x> y",
    "&a [*a]",
    "<<: {a: 1}",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "text",
            "choice",
            "multi_choice",
            "scale",
            "date",
            "2026-13-45",
            "x ==",
            "answered(",
            "{unknown}",
            "{",
            "a.b",
            "__import__('os')",
            "core",
            "blocker",
            "csintake/bank@1",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), inner, max_size=4),
    ),
    max_leaves=8,
)


def _slots(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) pair in the tree, parents before children."""
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((node, key))
            _slots(value, out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.append((node, i))
            _slots(value, out)
    return out


@st.composite
def mutated_data(draw: st.DrawFn, base: Any) -> Any:
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        slots = _slots(data, [])
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        op = draw(st.sampled_from(["delete", "retype", "rename", "duplicate", "copy-id"]))
        if op == "delete":
            del container[key]
        elif op == "retype":
            container[key] = draw(values)
        elif op == "rename" and isinstance(container, dict):
            new_key = draw(st.one_of(st.text(max_size=12), st.integers(), st.booleans()))
            container[new_key] = container.pop(key)
        elif op == "duplicate" and isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        elif op == "copy-id" and isinstance(container, dict) and key == "id":
            # Give this item the id of another item of the same kind.
            others = [c[k] for c, k in slots if k == "id" and c is not container]
            if others:
                container[key] = draw(st.sampled_from(others))
    return data


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["truncate", "insert", "dup-line", "drop-line", "tag"]))
        if op == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif op == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.text(min_size=1, max_size=8)) + text[at:]
        elif op in ("dup-line", "drop-line"):
            lines = text.splitlines(keepends=True)
            if not lines:
                continue
            at = draw(st.integers(0, len(lines) - 1))
            if op == "dup-line":
                lines.insert(at, lines[at])
            else:
                del lines[at]
            text = "".join(lines)
        else:
            spots = [i + 2 for i in range(len(text)) if text.startswith(": ", i)]
            if not spots:
                continue
            at = draw(st.sampled_from(spots))
            text = text[:at] + draw(st.sampled_from(TAGS)) + " " + text[at:]
    return text


_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def assert_loads_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    """Loading gives a bank or located problems; `bank check` reports the same way."""
    path = tmp_path / NAME
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        load_bank(path, NAME)
    except (BankError, YamlError) as exc:
        assert_problem_lines(exc.lines(), NAME)
    assert not Path(MARKER).exists(), "a YAML tag was constructed"


def test_check_file_reports_the_same_lines(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text(MINIMAL_BANK.replace("min: 1\n", "min: 1\n        mín: 2\n"), "utf-8")
    bank, problems = check_file(path, NAME)
    assert bank is None
    assert_problem_lines([str(p) for p in problems], NAME)
    with pytest.raises(BankError) as info:
        load_bank(path, NAME)
    assert info.value.lines() == [str(p) for p in problems]


# The shipped bank takes ~0.1 s to check: fewer examples keep the suite quick.
SETTINGS = settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SHIPPED = settings(SETTINGS, max_examples=examples(40))


@SHIPPED
@given(data=st.data())
def test_mutated_shipped_bank_data_gives_located_problems(
    data: st.DataObject, tmp_path: Path
) -> None:
    assert_loads_or_fails_cleanly(tmp_path, _dump(data.draw(mutated_data(SHIPPED_DATA))))


@SETTINGS
@given(data=st.data())
def test_mutated_small_bank_data_gives_located_problems(
    data: st.DataObject, tmp_path: Path
) -> None:
    assert_loads_or_fails_cleanly(tmp_path, _dump(data.draw(mutated_data(MINI_DATA))))


@SHIPPED
@given(data=st.data())
def test_mutated_shipped_bank_text_gives_located_problems(
    data: st.DataObject, tmp_path: Path
) -> None:
    assert_loads_or_fails_cleanly(tmp_path, data.draw(mutated_text(SHIPPED_TEXT)))


@SETTINGS
@given(data=st.data())
def test_mutated_small_bank_text_gives_located_problems(
    data: st.DataObject, tmp_path: Path
) -> None:
    assert_loads_or_fails_cleanly(tmp_path, data.draw(mutated_text(MINIMAL_BANK)))


@SETTINGS
@given(data=st.data())
def test_mutated_small_bank_data_and_text_gives_located_problems(
    data: st.DataObject, tmp_path: Path
) -> None:
    text = data.draw(mutated_text(_dump(data.draw(mutated_data(MINI_DATA)))))
    assert_loads_or_fails_cleanly(tmp_path, text)


@pytest.mark.parametrize("tag", TAGS)
def test_every_tag_is_refused_or_plain_without_running(tag: str, tmp_path: Path) -> None:
    text = MINIMAL_BANK.replace("title: Mini bank", f"title: {tag}")
    assert_loads_or_fails_cleanly(tmp_path, text)
    if "python" in tag or tag.startswith("!custom") or "binary" in tag or "set" in tag:
        with pytest.raises((BankError, YamlError), match="is not allowed"):
            load_bank(tmp_path / NAME, NAME)
