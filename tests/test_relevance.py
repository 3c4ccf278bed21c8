"""Relevance kept up to date per answer equals evaluating every condition afresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csintake.bank.loader import LoadedBank, load_bank
from csintake.bank.model import AnyQuestion
from csintake.interview.engine import Interview
from csintake.store.session import BankRef, Session

# Six sections of four yes/no questions; conditions read earlier answers, within and across
# sections, including a chain (q1_1 -> q2_0 -> q3_0) so that a change cascades.
CONDITIONS = {
    "q0_2": "q0_0",
    "q0_3": "not q0_1 or q0_2",
    "q1_1": "q0_3 and not q0_0",
    "q2_0": "q1_1",
    "q3_0": "q2_0 or answered(q1_3)",
    "q4_2": "q4_1 != q0_2",
    "q5_3": "q5_0",
}
SECTION_CONDITIONS = {"s2": "q0_0 or q1_0", "s4": "not q3_0", "s5": "q2_1"}


def bank_text() -> str:
    lines = ["format: csintake/bank@1", "id: graph", "version: 1.0.0", "title: G", "sections:"]
    for s in range(6):
        lines += [f"  - id: s{s}", f"    title: S{s}"]
        if f"s{s}" in SECTION_CONDITIONS:
            lines.append(f"    when: '{SECTION_CONDITIONS[f's{s}']}'")
        lines.append("    questions:")
        for q in range(4):
            qid = f"q{s}_{q}"
            lines += [f"      - id: {qid}", "        type: yes_no", "        required: false"]
            lines.append(f"        prompt: {qid}?")
            if qid in CONDITIONS:
                lines.append(f"        when: '{CONDITIONS[qid]}'")
    return "\n".join(lines) + "\n"


def reference(loaded: LoadedBank, session: Session) -> tuple[list[str], dict[str, Any]]:
    """Every condition evaluated in bank order, over the counted answers before it."""
    relevant: list[AnyQuestion] = []
    counted: dict[str, Any] = {}
    for section in loaded.bank.sections:
        if section.when and not loaded.condition(section.when).evaluate(counted):
            continue
        for q in section.questions:
            if q.when and not loaded.condition(q.when).evaluate(counted):
                continue
            relevant.append(q)
            if q.id in session.answers and q.id not in session.skipped:
                counted[q.id] = session.answers[q.id]
    return [q.id for q in relevant], counted


IDS = [f"q{s}_{q}" for s in range(6) for q in range(4)]
STEPS = st.lists(
    st.tuples(st.sampled_from(IDS), st.sampled_from([True, False, "skip"])), max_size=40
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_each_change_gives_what_a_full_evaluation_gives(tmp_path: Path, steps: list[Any]) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(bank_text(), encoding="utf-8")
    loaded = load_bank(path)
    ref = BankRef(id="graph", version="1.0.0", sha256=loaded.sha256, path=str(path))
    interview = Interview(loaded, Session(id="s", bank=ref, client="C"))
    for qid, value in steps:
        if value == "skip":
            interview.skip(qid)
        else:
            interview.answer(value, qid=qid)
        ids, counted = reference(loaded, interview.session)
        assert [q.id for q in interview.relevant] == ids
        assert interview.answers == counted
        assert list(interview.answers) == list(counted)
        for qid_ in IDS:
            assert interview.is_relevant(qid_) == (qid_ in ids)
        if ids:
            assert str(interview.position(ids[-1])) == f"{len(ids)}/{len(ids)}"


def test_a_revision_that_hides_a_chain_hides_every_link(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(bank_text(), encoding="utf-8")
    loaded = load_bank(path)
    ref = BankRef(id="graph", version="1.0.0", sha256=loaded.sha256, path=str(path))
    interview = Interview(loaded, Session(id="s", bank=ref, client="C"))
    steps = [("q0_1", False), ("q0_3", True), ("q1_0", True), ("q1_1", True), ("q2_0", True)]
    for qid, value in [*steps, ("q3_0", True)]:
        interview.answer(value, qid=qid)
    assert {"q1_1", "q2_0", "q3_0"} <= {q.id for q in interview.relevant}
    assert "s4" not in {interview.section(q.id).id for q in interview.relevant}
    # q0_0 yes hides q1_1, so q2_0 and then q3_0 lose their reasons, and section s4 returns.
    interview.answer(True, qid="q0_0")
    shown = {q.id for q in interview.relevant}
    assert "q1_1" not in shown
    assert "q2_0" not in shown
    assert "q3_0" not in shown
    assert {"q4_0", "q4_1"} <= shown
    assert "q1_1" not in interview.answers
    assert interview.session.answers["q1_1"] is True  # kept in the file, only not counted
