"""Indented JSON from the C encoder is the text json.dumps(indent=2) writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csintake.jsontext import chunks, dumps

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(st.characters(exclude_categories=["Cs"])),
)
KEYS = st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(KEYS, inner, max_size=5),
        st.dictionaries(st.text(max_size=8), inner, max_size=5),
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_same_text_as_the_plain_encoder(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_listing_of_rows() -> None:
    rows = [{"id": f"s{n}", "answered": n, "problem": None, "tags": ["a", "ü"]} for n in range(3)]
    assert dumps(rows) == json.dumps(rows, indent=2, ensure_ascii=False)
    # Flat rows, some holding text that looks like the joins between rows.
    flat = [
        {"id": "s1", "note": '},\n      {"x": 1}', "n": 1.5, "ok": True},
        {"id": "s2", "note": "}, {", "n": None, "ok": False},
        {"only": "}\n  ]"},
    ]
    for level_up in (flat, {"rows": flat}, [flat, flat], (flat[0],)):
        assert dumps(level_up) == json.dumps(level_up, indent=2, ensure_ascii=False)
    assert dumps({"rows": [], "filters": {}}) == '{\n  "rows": [],\n  "filters": {}\n}'


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, max_size=4), st.dictionaries(st.text(max_size=8), VALUES, max_size=3))
def test_streamed_rows_join_to_the_same_text(rows: list[Any], rest: dict[str, Any]) -> None:
    # A listing streamed at the top, and inside a mapping beside other values.
    assert "".join(chunks(iter(rows))) == dumps(rows)
    whole = {**rest, "rows": rows}
    streamed = {**rest, "rows": iter(rows)}
    assert "".join(chunks(streamed)) == dumps(whole)


def test_a_value_with_nothing_streamed_is_one_piece() -> None:
    assert list(chunks({"a": [1, 2]})) == [dumps({"a": [1, 2]})]


def test_a_streamed_mapping_must_have_text_keys() -> None:
    with pytest.raises(TypeError, match="keys"):
        list(chunks({1: iter([])}))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=8), SCALARS, min_size=1, max_size=5), min_size=1))
def test_a_listing_of_flat_rows_in_one_call(rows: list[dict[str, Any]]) -> None:
    for value in (rows, {"rows": rows}, [rows]):
        assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
