"""Opening sessions with their banks, and scripted intakes from answers files and ``--set``.

This is the glue between the store, the catalog of banks and the engine that every command
uses; like the engine, it never talks to a terminal.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csintake.bank.catalog import DEFAULT_BANK, find_bank
from csintake.bank.loader import LoadedBank, load_bank
from csintake.errors import (
    Problem,
    UsageError,
    YamlError,
)
from csintake.files.regularfile import read_regular, read_stream
from csintake.files.yamlfile import Located, load_text
from csintake.interview.engine import Interview
from csintake.printable import one_line
from csintake.store.session import BankRef, Session
from csintake.store.store import Store


@dataclass
class Opened:
    """A session ready to work on, and what the consultant should be told about it."""

    interview: Interview
    store: Store
    notices: list[str] = field(default_factory=list)

    def resume_command(self) -> str:
        """The exact command that continues this session."""
        import shlex

        from csintake.store.store import store_dir

        command = f"csintake interview {self.interview.session.id}"
        # store_dir(None) is CSINTAKE_HOME when it is set: --store is needed only when this
        # store is neither that nor the default one.
        if self.store.root.resolve() != store_dir(None).resolve():
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
    """The session's bank: ``override``, else its recorded path, else its id among known banks.

    A recorded bank file that is still there but no longer loads is reported as it is (every
    problem with its place), not silently swapped for another bank with the same id.
    """
    if override:
        return find_bank(override, store)
    recorded = Path(session.bank.path)
    if session.bank.path and _is_file(recorded):
        loaded = load_bank(recorded)
        if loaded.bank.id == session.bank.id:
            return loaded
    return find_bank(session.bank.id, store)


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a path the system cannot look up at all."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL
        return False


def new_session(
    store: Store, client: str, bank: str | None, consultant: str | None = None
) -> Opened:
    """A new session for ``client`` on ``bank`` (an id or a path; the default bank if None)."""
    if not client.strip():
        raise UsageError("the client's name is empty")
    for name, what in ((client, "client's name"), (consultant or "", "consultant's name")):
        if not _is_text(name):
            raise UsageError(f"the {what} is not valid text (check the terminal's encoding)")
    loaded = find_bank(bank or DEFAULT_BANK, store.root)
    # A name is one line however it was pasted: tables and messages show it on one.
    client = " ".join(client.split())
    consultant = " ".join(consultant.split()) or None if consultant else None
    session = store.create(client, bank_ref(loaded), consultant)
    return Opened(Interview(loaded, session, store.save), store, [f"New session {session.id}."])


def _is_text(value: str) -> bool:
    # Bytes that are not UTF-8 reach us from the command line as lone surrogates, which
    # cannot be written to a session file or printed.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def open_session(
    store: Store, session_id: str, bank: str | None = None, *, adopt: bool = True
) -> Opened:
    """An existing session with its bank; a changed bank is re-checked and reported.

    With ``adopt`` the session takes the bank as it is now, migrated answers included
    (recorded at the next save); without, the file is never written, for commands that only
    show it.
    """
    session = store.load(session_id)
    loaded = bank_for(session, store.root, bank)
    # Before the interview re-checks the answers, so that migrated ones are checked as such.
    migrated = _migrate(session, loaded, adopt=adopt)
    interview = Interview(loaded, session, store.save)
    notices: list[str] = []
    ref = bank_ref(loaded)
    if ref.sha256 != session.bank.sha256 or ref.id != session.bank.id:
        old = session.bank
        notices.append(
            f"The bank has changed since this session was saved "
            f"({old.id} {old.version} -> {ref.id} {ref.version})."
        )
        if adopt:
            session.bank = ref
    notices.extend(migrated)
    if interview.mismatches:
        notices.append("Answers that no longer fit the bank (kept in the file, not used):")
        notices.extend(f"  {m.question}: {m.message}" for m in interview.mismatches)
    # Notices quote stored answers and bank text: one line each, no control sequences.
    return Opened(interview, store, [one_line(n) for n in notices])


def _migrate(session: Session, loaded: LoadedBank, *, adopt: bool) -> list[str]:
    """Apply the bank's migration from the session's recorded version, and say what it did.

    Without ``adopt`` the session is only shown: its answers are shown migrated, and the file
    changes at the next interview.
    """
    from csintake.interview.migration import migrate

    migrated = migrate(session, loaded.bank)
    if migrated is None or not migrated.changes:
        return []
    bank_id = loaded.bank.id
    versions = f"{bank_id} {migrated.from_version} -> {migrated.to_version}"
    head = (
        f"Answers migrated to the bank's new version ({versions}):"
        if adopt
        else f"Answers shown migrated to the bank's new version ({versions});"
        " the session file changes at the next interview:"
    )
    return [head, *(f"  {change}" for change in migrated.changes)]


# -------------------------------------------------------------------- scripted intakes


def read_answers(spec: str) -> Located:
    """An answers file (YAML or JSON mapping of question id to value); ``-`` is stdin."""
    if spec == "-":
        if sys.stdin.isatty():
            # Reading a terminal would wait for a keyboard, which a script never has.
            raise UsageError("--answers -: standard input is a terminal; pipe the answers in")
        try:
            text = read_stream(sys.stdin.buffer).decode("utf-8-sig")
        except OSError as exc:
            raise YamlError([Problem("<stdin>", 0, 0, f"cannot read: {exc.strerror}")]) from None
        except UnicodeDecodeError as exc:
            raise YamlError([Problem("<stdin>", 0, 0, f"not UTF-8 text ({exc.reason})")]) from None
        doc = _load_answers(text, "<stdin>")
    else:
        path = Path(spec).expanduser()
        if not path.exists():
            raise YamlError([Problem(spec, 0, 0, "no such answers file")])
        try:
            text = read_regular(path).decode("utf-8-sig")
        except OSError as exc:
            raise YamlError([Problem(spec, 0, 0, f"cannot read: {exc.strerror or exc}")]) from None
        except UnicodeDecodeError as exc:
            raise YamlError([Problem(spec, 0, 0, f"not UTF-8 text ({exc.reason})")]) from None
        doc = _load_answers(text, spec)
    if doc.value is None:
        doc.value = {}
    if not isinstance(doc.value, dict):
        raise YamlError([doc.problem((), "an answers file maps question ids to answers")])
    return doc


def _load_answers(text: str, name: str) -> Located:
    """YAML, or JSON, which is YAML except that it may be indented with tabs."""
    try:
        return load_text(text, name)
    except YamlError:
        if "\t" not in text or not _is_json(text):
            raise
    # Valid JSON holds tabs only between tokens (never inside strings), and a space takes
    # the same column, so every position stays right.
    return load_text(text.replace("\t", " "), name)


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return True


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
            # An unknown id is pointed at its key; a wrong value at the value.
            unknown = qid not in interview.bank.question_map
            problems.append(answers.problem((qid,), f"{qid}: {message}", key=unknown))
    for qid, message in interview.apply(sets, "set"):
        refused.add(qid)
        problems.append(Problem("", 0, 0, f"--set {qid}={sets[qid]}: {message}"))
    interview.apply_defaults(frozenset(refused))
    if finish:
        unfit = {m.question: m.message for m in interview.mismatches}
        for q in interview.missing():
            if q.id in refused:
                continue
            if q.id in unfit:
                message = f"{q.id}: the saved answer no longer fits the bank: {unfit[q.id]}"
            else:
                message = f"missing answer: {q.id} ({interview.text(q.prompt)})"
            problems.append(Problem("", 0, 0, message))
    if finish and not problems:
        interview.finish()
    else:
        if finish:
            interview.session.status = "in_progress"
        interview.save()
    return problems
