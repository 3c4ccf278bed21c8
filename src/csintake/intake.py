"""Opening sessions with their banks, and scripted intakes from answers files and ``--set``.

This is the glue between the store, the catalog of banks and the engine that every command
uses; like the engine, it never talks to a terminal.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csintake.catalog import DEFAULT_BANK, find_bank
from csintake.checker import LoadedBank, load_bank
from csintake.engine import Interview
from csintake.errors import (
    AnswersError,
    CsintakeError,
    Problem,
    UsageError,
    YamlError,
)
from csintake.session import BankRef, Session
from csintake.store import Store
from csintake.yamlfile import Located, load_file, load_text


@dataclass
class Opened:
    """A session ready to work on, and what the consultant should be told about it."""

    interview: Interview
    store: Store
    notices: list[str] = field(default_factory=list)

    def resume_command(self) -> str:
        """The exact command that continues this session."""
        import os
        import shlex

        from csintake.store import store_dir

        command = f"csintake interview {self.interview.session.id}"
        if self.store.root.resolve() != store_dir(None).resolve() and not os.environ.get(
            "CSINTAKE_HOME"
        ):
            command = f"csintake --store {shlex.quote(str(self.store.root))} interview " + (
                self.interview.session.id
            )
        return command


def bank_ref(loaded: LoadedBank) -> BankRef:
    return BankRef(
        id=loaded.bank.id,
        version=loaded.bank.version,
        sha256=loaded.sha256,
        path=str(loaded.path.resolve()),
    )


def bank_for(session: Session, store: Path, override: str | None = None) -> LoadedBank:
    """The session's bank: ``override``, else its recorded path, else its id among known banks."""
    if override:
        return find_bank(override, store)
    recorded = Path(session.bank.path)
    if session.bank.path and recorded.is_file():
        try:
            loaded = load_bank(recorded)
        except CsintakeError:
            loaded = None
        if loaded is not None and loaded.bank.id == session.bank.id:
            return loaded
    return find_bank(session.bank.id, store)


def new_session(
    store: Store, client: str, bank: str | None, consultant: str | None = None
) -> Opened:
    """A new session for ``client`` on ``bank`` (an id or a path; the default bank if None)."""
    if not client.strip():
        raise UsageError("the client's name is empty")
    loaded = find_bank(bank or DEFAULT_BANK, store.root)
    session = store.create(client.strip(), bank_ref(loaded), consultant)
    return Opened(Interview(loaded, session, store.save), store, [f"New session {session.id}."])


def open_session(store: Store, session_id: str, bank: str | None = None) -> Opened:
    """An existing session with its bank; a changed bank is re-checked and reported."""
    session = store.load(session_id)
    loaded = bank_for(session, store.root, bank)
    interview = Interview(loaded, session, store.save)
    notices: list[str] = []
    ref = bank_ref(loaded)
    if ref.sha256 != session.bank.sha256 or ref.id != session.bank.id:
        old = session.bank
        notices.append(
            f"The bank has changed since this session was saved "
            f"({old.id} {old.version} -> {ref.id} {ref.version})."
        )
        session.bank = ref
    if interview.mismatches:
        notices.append("Answers that no longer fit the bank (kept in the file, not used):")
        notices.extend(f"  {m.question}: {m.message}" for m in interview.mismatches)
    return Opened(interview, store, notices)


# -------------------------------------------------------------------- scripted intakes


def read_answers(spec: str) -> Located:
    """An answers file (YAML or JSON mapping of question id to value); ``-`` is stdin."""
    if spec == "-":
        doc = load_text(sys.stdin.read(), "<stdin>")
    else:
        path = Path(spec).expanduser()
        if not path.is_file():
            raise YamlError([Problem(spec, 0, 0, "no such answers file")])
        doc = load_file(path, spec)
    if doc.value is None:
        doc.value = {}
    if not isinstance(doc.value, dict):
        raise YamlError([doc.problem((), "an answers file maps question ids to answers")])
    return doc


def parse_sets(items: list[str]) -> dict[str, str]:
    """``--set ID=VALUE`` options as a mapping; later ones win."""
    values: dict[str, str] = {}
    for item in items:
        qid, sep, value = item.partition("=")
        if not sep or not qid.strip():
            raise UsageError(f"--set {item!r}: write --set ID=VALUE")
        values[qid.strip()] = value
    return values


def apply_scripted(
    interview: Interview,
    answers: Located | None,
    sets: dict[str, str],
    *,
    finish: bool,
) -> list[Problem]:
    """Store answers from a file and ``--set`` (which wins), apply defaults, and when
    ``finish``, list what is still missing or complete the session.

    Every valid answer is kept and saved even when others are wrong.
    """
    problems: list[Problem] = []
    refused: set[str] = set()
    if answers is not None:
        values: dict[str, Any] = {k: v for k, v in answers.value.items() if k not in sets}
        for qid, message in interview.apply(values, "file"):
            refused.add(qid)
            problems.append(answers.problem((qid,), f"{qid}: {message}"))
    for qid, message in interview.apply(sets, "set"):
        refused.add(qid)
        problems.append(Problem("", 0, 0, f"--set {qid}={sets[qid]}: {message}"))
    interview.apply_defaults()
    if finish:
        problems.extend(
            Problem("", 0, 0, f"missing answer: {q.id} ({interview.text(q.prompt)})")
            for q in interview.missing()
            if q.id not in refused
        )
    if finish and not problems:
        interview.finish()
    else:
        if finish:
            interview.session.status = "in_progress"
        interview.save()
    return problems


def raise_for(problems: list[Problem]) -> None:
    if problems:
        raise AnswersError(problems)
