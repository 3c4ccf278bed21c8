"""One intake from start to end, through a stand-in for the person running it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from csintake.errors import Problem, SessionLockedError, SessionNotFoundError, UsageError
from csintake.interview.intake import Opened
from csintake.interview.lifecycle import IntakeRequest, run_intake
from csintake.store.store import Store
from helpers import MINIMAL_BANK, write_bank

COMPLETE = ("name=Ames", "meaning=offerings")


@dataclass
class FakeUI:
    """Records what the intake asked of the person, in order."""

    client: str = "Boone Library"
    code: int = 0
    events: list[str] = field(default_factory=list)
    live: list[Opened] = field(default_factory=list)

    def ask_client(self) -> str:
        self.events.append("ask_client")
        return self.client

    def run_live(self, opened: Opened) -> int:
        self.events.append("live")
        # The interview runs while the session is held: nothing else can open it.
        with pytest.raises(SessionLockedError), opened.store.lock(opened.interview.session.id):
            pass
        self.live.append(opened)
        return self.code

    def notice(self, line: str) -> None:
        self.events.append(f"notice: {line}")

    def refused(self, problem: Problem) -> None:
        self.events.append(f"refused: {problem}")


@pytest.fixture
def bank(tmp_path: Path) -> str:
    return str(write_bank(tmp_path, MINIMAL_BANK))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def test_a_scripted_intake_completes_without_asking_anyone(store: Store, bank: str) -> None:
    ui = FakeUI()
    request = IntakeRequest(client="Ames", bank=bank, sets=COMPLETE, no_input=True)
    outcome = run_intake(store, request, ui)
    assert outcome.scripted
    assert outcome.problems == []
    assert ui.events == []
    saved = store.load(outcome.opened.interview.session.id)
    assert saved.status == "complete"
    assert saved.answers["meaning"] == "offerings"


def test_a_scripted_intake_with_missing_answers_says_how_to_complete_it(
    store: Store, bank: str
) -> None:
    request = IntakeRequest(client="Ames", bank=bank, sets=("name=Ames",), no_input=True)
    outcome = run_intake(store, request, FakeUI())
    sid = outcome.opened.interview.session.id
    assert [str(p) for p in outcome.problems] == [
        "missing answer: meaning (Which kind of service, Ames?)"
    ]
    assert outcome.resume_command() == (
        f"csintake --store {store.root} interview {sid} --no-input --answers FILE"
    )
    saved = store.load(sid)
    assert saved.status == "in_progress"
    assert saved.answers["name"] == "Ames"


def test_a_live_intake_asks_for_the_client_then_runs_the_interview(store: Store, bank: str) -> None:
    ui = FakeUI(code=130)
    outcome = run_intake(store, IntakeRequest(bank=bank, sets=("staff=many",)), ui)
    assert not outcome.scripted
    assert outcome.exit_code == 130
    assert ui.events == [
        "ask_client",
        "refused: --set staff=many: Enter a whole number from 1 to 100",
        "live",
    ]
    (opened,) = ui.live
    assert opened.interview.session.client == "Boone Library"
    assert store.ids() == [opened.interview.session.id]


def test_resuming_scripted_shows_the_notices_and_sets_the_consultant(
    store: Store, bank: str
) -> None:
    first = run_intake(store, IntakeRequest(client="Ames", bank=bank, no_input=True), FakeUI())
    sid = first.opened.interview.session.id
    saved = store.load(sid)
    saved.answers["staff"] = 5000
    store.save(saved)
    ui = FakeUI()
    request = IntakeRequest(sid, consultant="Dana Reyes", sets=COMPLETE, no_input=True)
    outcome = run_intake(store, request, ui)
    assert outcome.problems == []
    assert (
        ui.events[0] == "notice: Answers that no longer fit the bank (kept in the file, not used):"
    )
    assert ui.events[1].startswith("notice:   staff: ")
    assert store.load(sid).consultant == "Dana Reyes"


def test_bad_requests_are_refused_before_anything_is_saved(store: Store, bank: str) -> None:
    ui = FakeUI()
    with pytest.raises(UsageError, match="a new session needs --client NAME"):
        run_intake(store, IntakeRequest(bank=bank, no_input=True), ui)
    with pytest.raises(UsageError, match="write --set ID=VALUE"):
        run_intake(store, IntakeRequest(client="Ames", bank=bank, sets=("name",)), ui)
    with pytest.raises(SessionNotFoundError, match="no session 'ames-1999-01-01'"):
        run_intake(store, IntakeRequest("ames-1999-01-01", no_input=True), ui)
    assert ui.events == []
    assert store.ids() == []
