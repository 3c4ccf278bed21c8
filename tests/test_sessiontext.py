"""A save re-dumps only changed entries, yet writes the text a whole dump writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from csintake.files.yamlfile import dump, load_text
from csintake.store.session import BankRef, Change, Session
from csintake.store.sessiontext import SessionText

REF = BankRef(id="b", version="1.0.0", sha256="a" * 64, path="/banks/b.yaml")
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=140)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
    st.lists(st.sampled_from(["a", "b", "yes", "1", "x y"]), max_size=3),
    st.dates().map(lambda d: d.isoformat()),
)
IDS = st.sampled_from(["name", "yes", "on", "null", "a b", "q1", "q2", "q3", "long_question_id"])
EDITS = st.lists(st.tuples(IDS, VALUES, st.booleans()), max_size=12)


def whole(session: Session) -> str:
    return dump(session.to_data())


@settings(max_examples=200, deadline=None)
@given(rounds=st.lists(EDITS, min_size=1, max_size=4), note=TEXT)
def test_text_after_each_round_of_edits_is_the_whole_dump(rounds: list[Any], note: str) -> None:
    session = Session(id="ames", bank=REF, client="Ames")
    cache = SessionText()
    at = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    for edits in rounds:
        for qid, value, skip in edits:
            if qid in session.answers:
                session.history.append(
                    Change(question=qid, old=session.answers[qid], new=value, at=at)
                )
            session.answers[qid] = value
            session.sources[qid] = "prompt" if skip else "set"
            if skip and qid not in session.skipped:
                session.skipped.append(qid)
            session.notes[qid] = note
        if edits and edits[0][2]:
            session.answers.pop(edits[0][0], None)
            session.follow_up.append(edits[0][0])
        text = cache.text(session)
        assert text == whole(session)
        assert load_text(text, "s.yaml") == load_text(whole(session), "s.yaml")


def test_unchanged_entries_are_not_dumped_again() -> None:
    session = Session(id="ames", bank=REF, client="Ames")
    session.answers.update({f"q{i}": f"answer {i}" for i in range(50)})
    cache = SessionText()
    first = cache.text(session)
    session.answers["q7"] = "a new answer"
    second = cache.text(session)
    assert second == whole(session)
    assert "q7: a new answer\n" in second
    assert first.replace("q7: answer 7\n", "q7: a new answer\n") == second


def test_a_list_changed_in_place_is_written_as_it_is_now() -> None:
    session = Session(id="ames", bank=REF, client="Ames")
    session.answers["roles"] = ["circulation"]
    cache = SessionText()
    cache.text(session)
    session.answers["roles"].append("youth")
    assert "- youth" in cache.text(session)
