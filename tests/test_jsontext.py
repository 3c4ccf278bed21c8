"""Indented JSON from the C encoder is the text json.dumps(indent=2) writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from csintake.jsontext import dumps

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
    assert dumps({"rows": [], "filters": {}}) == '{\n  "rows": [],\n  "filters": {}\n}'
