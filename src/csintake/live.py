"""The live interview on a call: the engine driven through a :class:`Prompts`.

The loop asks the next open question, applies the answer or command through the engine
(which saves before returning), and ends in a review where any answer can be changed before
the session is marked complete. Ctrl-C, a closed input or a hang-up stop it with everything
answered already on disk and the command that resumes it shown.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal

from csintake.bank import (
    AnyQuestion,
    ChoiceQuestion,
    DateQuestion,
    IntegerQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    ScaleQuestion,
    YesNoQuestion,
)
from csintake.errors import AnswerError, CsintakeError, StoreError, UsageError
from csintake.prompts.base import (
    ALL_CONTROLS,
    CONTROLS_HELP,
    CONTROLS_LINE,
    NO_CONTROLS,
    Answer,
    Control,
    Option,
    Prompts,
    Row,
    Spec,
)
from csintake.validation import show_value, validate_answer

if TYPE_CHECKING:
    from csintake.engine import Interview
    from csintake.intake import Opened

INTERRUPTED = 130
REMOVE_NOTE = "-"
_REVIEW_ANSWER_WIDTH = 160


def make_prompts(*, plain: bool = False) -> Prompts:
    """Plain prompts when asked for, or when this is not an interactive terminal."""
    if plain or not _interactive():
        from csintake.prompts.plain import PlainPrompts

        return PlainPrompts(sys.stdin, sys.stdout)
    from csintake.prompts.rich_ui import TerminalPrompts

    return TerminalPrompts()


def _interactive() -> bool:
    try:
        ttys = sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
    return ttys and os.environ.get("TERM", "") != "dumb"


def ask_client(*, plain: bool = False) -> str:
    """Ask for the client's name before a new session starts."""
    return client_name(make_prompts(plain=plain))


def client_name(prompts: Prompts) -> str:
    spec = Spec(
        kind="text",
        message="Which client is this intake for? (the library's name)",
        validate=_client,
        controls=NO_CONTROLS,
    )
    try:
        reply = prompts.ask(spec)
    except EOFError:
        raise UsageError("no client name was given; a new session needs --client NAME") from None
    assert isinstance(reply, Answer)
    return str(reply.value)


def _client(raw: Any) -> str:
    text = str(raw).strip()
    if not text:
        raise AnswerError("Enter the client's name")
    if "\n" in text:
        raise AnswerError("Enter a single line")
    return text


def run_live(opened: Opened, *, plain: bool = False) -> int:
    """Run the interview at the keyboard; returns the exit code."""
    return run(opened, make_prompts(plain=plain))


def run(opened: Opened, prompts: Prompts) -> int:
    """Run the interview through ``prompts``; 0 when it ends, 130 when it is interrupted."""
    return LiveInterview(opened, prompts).run()


class _HangUpError(Exception):
    """The terminal went away (SIGHUP), or the process was asked to end (SIGTERM)."""


_STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


@contextlib.contextmanager
def _hangup_stops() -> Iterator[None]:
    """Turn SIGHUP and SIGTERM into an exception, so a closed terminal or a ``kill`` ends
    like Ctrl-C: everything saved, and the resume command shown."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def hang_up(signum: int, frame: FrameType | None) -> None:
        # Once is enough: a second signal must not cut short the orderly stop.
        for each in _STOP_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        if not _end_running_prompt():
            raise _HangUpError

    previous = {each: signal.signal(each, hang_up) for each in _STOP_SIGNALS}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)


def _end_running_prompt() -> bool:
    """End a running terminal prompt with :class:`_HangUpError`, from its own event loop.

    Raised straight from the signal handler, the exception could land inside one of the
    event loop's callbacks, which prompt_toolkit reports with "Press ENTER to continue..."
    and the interview never stops. Whether a prompt runs is asked only when prompt_toolkit
    is already loaded (plain prompts never load it).
    """
    current = sys.modules.get("prompt_toolkit.application.current")
    app = current.get_app_or_none() if current is not None else None
    loop = getattr(app, "loop", None)
    if app is None or not app.is_running or loop is None or loop.is_closed():
        return False

    def stop() -> None:
        if app.is_running and not app.future.done():
            app.exit(exception=_HangUpError)

    loop.call_soon_threadsafe(stop)
    return True


Pick = tuple[Literal["finish", "continue", "stop", "change"], str]


class LiveInterview:
    """One run of the interview loop."""

    def __init__(self, opened: Opened, prompts: Prompts) -> None:
        self.opened = opened
        self.interview: Interview = opened.interview
        self.ui = prompts
        self._shown_section: str | None = None
        self._return_to: str | None = None

    # -------------------------------------------------------------------------- run

    def run(self) -> int:
        try:
            with _hangup_stops():
                self._greet()
                self._loop()
        except (KeyboardInterrupt, EOFError, _HangUpError):
            self._interrupted()
            return INTERRUPTED
        return 0

    def _loop(self) -> None:
        iv = self.interview
        question = None if iv.session.status == "complete" else self._next_open(None)
        while True:
            try:
                if question is None:
                    pick = self._review()
                    if pick is None:
                        return
                    question = pick
                question = self._ask(question)
            except StoreError as exc:
                # A full disk or a lost folder on a live call: what is on disk stays intact,
                # and the same question comes again so the answer can be given once more
                # when there is room; Ctrl-C still stops with the resume command.
                self.ui.say(exc.lines()[0], "error")
                self.ui.say(
                    "That was not saved. Make room or fix the folder, then answer again;"
                    " everything answered before is safe on disk.",
                    "warn",
                )

    def _greet(self) -> None:
        iv = self.interview
        session = iv.session
        relevant = iv.relevant
        answered = sum(1 for q in relevant if iv.is_answered(q.id))
        status = "complete" if session.status == "complete" else "in progress"
        self.ui.say(f"{session.client}  (session {session.id})", "title")
        self.ui.say(f"{answered} of {len(relevant)} questions answered; {status}.")
        for notice in self.opened.notices:
            self.ui.say(notice, "plain" if notice.startswith("New session") else "warn")
        parked = [q for q in session.follow_up if iv.is_relevant(q)]
        if parked:
            self.ui.say(f"Parked to chase: {', '.join(parked)}.", "warn")
        self.ui.say(CONTROLS_LINE, "muted")
        if session.status == "complete":
            self.ui.say("This session is complete: review the answers, change any, or finish.")

    def _interrupted(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.ui.say("")
            self.ui.say("Stopped. Everything answered so far is saved.", "warn")
            self.ui.say(f"Resume with: {self.opened.resume_command()}")

    # ------------------------------------------------------------------ one question

    def _ask(self, question: AnyQuestion) -> AnyQuestion | None:
        """Ask ``question`` once; the question to ask next (None: the review)."""
        iv = self.interview
        iv.goto(question.id)
        self._section_heading(question)
        reply = self.ui.ask(self._spec(question))
        qid = question.id
        if isinstance(reply, Answer):
            if qid in iv.session.skipped or iv.session.answers.get(qid) != reply.value:
                self._reopen()
            try:
                iv.answer(reply.value, "prompt", qid=qid)
            except AnswerError as exc:
                self.ui.say(str(exc), "error")
                return question
            return self._next_open(qid)
        return self._control(question, reply)

    def _control(self, question: AnyQuestion, reply: Control) -> AnyQuestion | None:
        iv = self.interview
        qid = question.id
        if reply.action == "back":
            iv.goto(qid)
            previous = iv.back()
            if previous is None:
                self.ui.say("This is the first question.", "warn")
                return question
            return previous
        if reply.action == "skip":
            if question.required:
                self.ui.say("This question is required and cannot be skipped.", "error")
                return question
            if qid not in iv.session.skipped:
                self._reopen()
            iv.skip(qid)
            self.ui.say("Skipped.", "muted")
            return self._next_open(qid)
        if reply.action == "note":
            self._note(question, reply.text)
            return question
        if reply.action == "park":
            self._reopen()
            if iv.park(qid):
                self.ui.say("Parked: to chase after the call.", "warn")
                return self._next_open(qid)
            self.ui.say("No longer parked.", "muted")
            return question
        if reply.action == "help":
            self._help(question)
            return question
        self._return_to = qid
        return None

    def _note(self, question: AnyQuestion, text: str) -> None:
        iv = self.interview
        current = iv.session.notes.get(question.id, "")
        if not text:
            spec = Spec(
                kind="text",
                message=f"Note on {question.id} (- removes it)",
                validate=lambda raw: str(raw).strip(),
                required=False,
                default=current or None,
                default_shown=current,
                controls=NO_CONTROLS,
            )
            reply = self.ui.ask(spec)
            text = str(reply.value) if isinstance(reply, Answer) else ""
        text = "" if text.strip() == REMOVE_NOTE else text.strip()
        if text == current:
            self.ui.say("Note unchanged.", "muted")
            return
        self._reopen()
        iv.note(text, question.id)
        self.ui.say("Note saved." if text else "Note removed.", "muted")

    def _help(self, question: AnyQuestion) -> None:
        if question.help:
            self.ui.say(self.interview.text(question.help))
        for command, meaning in CONTROLS_HELP:
            self.ui.say(f"  {command:<18} {meaning}")

    def _reopen(self) -> None:
        """A complete session being changed is in progress until it is finished again."""
        self.interview.reopen()

    def _section_heading(self, question: AnyQuestion) -> None:
        iv = self.interview
        section = iv.section(question.id)
        if section.id == self._shown_section:
            return
        self._shown_section = section.id
        self.ui.say(iv.text(section.title), "title")
        if section.intro and iv.starts_section(question.id):
            self.ui.say(iv.text(section.intro), "muted")

    def _next_open(self, after: str | None) -> AnyQuestion | None:
        """The next question neither answered, skipped nor parked, after ``after`` first,
        then from the top; None when there is none (time for the review)."""
        iv = self.interview
        relevant = iv.relevant
        ids = [q.id for q in relevant]
        start = ids.index(after) + 1 if after in ids else 0
        parked = set(iv.session.follow_up)
        for q in relevant[start:] + relevant[:start]:
            if not iv.is_settled(q.id) and q.id not in parked:
                return q
        return None

    def _spec(self, question: AnyQuestion) -> Spec:
        iv = self.interview
        default = iv.default_for(question)
        choices: tuple[Option, ...] = ()
        if isinstance(question, (ChoiceQuestion, MultiChoiceQuestion)):
            choices = tuple(
                Option(c.value, iv.text(c.shown), iv.text(c.help) or None) for c in question.choices
            )
        return Spec(
            kind=question.type,
            message=iv.text(question.prompt),
            validate=partial(validate_answer, question),
            required=question.required,
            choices=choices,
            default=default,
            default_shown=show_value(question, default) if default is not None else "",
            hint=hint(question),
            help=iv.text(question.help),
            qid=question.id,
            position=str(iv.position(question.id)),
            section=iv.text(iv.section(question.id).title),
            note=iv.session.notes.get(question.id, ""),
            parked=question.id in iv.session.follow_up,
            controls=ALL_CONTROLS,
        )

    # ------------------------------------------------------------------------ review

    def _rows(self) -> list[Row]:
        iv = self.interview
        session = iv.session
        rows: list[Row] = []
        section = None
        for number, q in enumerate(iv.relevant, start=1):
            if iv.section(q.id) is not section:
                section = iv.section(q.id)
                rows.append(Row(0, iv.text(section.title)))
            marks = []
            if q.id in session.follow_up:
                marks.append("parked")
            if q.id in session.skipped:
                marks.append("skipped")
            elif not iv.is_answered(q.id):
                marks.append("missing" if q.required else "open")
            answer = iv.show(q.id) or ""
            if len(answer) > _REVIEW_ANSWER_WIDTH:
                answer = answer[: _REVIEW_ANSWER_WIDTH - 1] + "…"
            rows.append(
                Row(
                    number,
                    iv.text(q.prompt),
                    q.id,
                    answer,
                    session.notes.get(q.id, ""),
                    ", ".join(marks),
                )
            )
        return rows

    def _review(self) -> AnyQuestion | None:
        """Show every relevant answer; the question to change next, or None when done."""
        iv = self.interview
        while True:
            self._shown_section = None
            self.ui.table(f"Review: {iv.session.client}", self._rows())
            missing = iv.missing()
            if missing:
                count = len(missing)
                self.ui.say(
                    f"{count} required question{'s' if count > 1 else ''} still open"
                    " (marked missing).",
                    "warn",
                )
                message = (
                    "Type a number to change that answer; Enter to go on with the open"
                    " questions; x to stop for now"
                )
            else:
                message = "Type a number to change that answer; Enter to finish; x to stop for now"
            spec = Spec(
                kind="text",
                message=message,
                validate=partial(self._pick, complete=not missing),
                required=False,
                controls=NO_CONTROLS,
            )
            reply = self.ui.ask(spec)
            assert isinstance(reply, Answer)
            action, qid = reply.value
            if action == "change":
                self._return_to = None
                return iv.question(qid)
            if action == "stop":
                self._stop()
                return None
            if action == "finish":
                self._finish()
                return None
            question = self._continue_at()
            if question is not None:
                return question

    def _pick(self, raw: Any, *, complete: bool) -> Pick:
        iv = self.interview
        text = str(raw).strip().casefold()
        ids = [q.id for q in iv.relevant]
        if not text or text in ("f", "finish", "c", "continue"):
            return ("finish" if complete else "continue", "")
        if text in ("x", "stop", "q", "quit"):
            return ("stop", "")
        if text.isdigit() and 1 <= int(text) <= len(ids):
            return ("change", ids[int(text) - 1])
        if text in ids:
            return ("change", text)
        raise AnswerError(f"Type a number from 1 to {len(ids)}, Enter, or x")

    def _continue_at(self) -> AnyQuestion | None:
        iv = self.interview
        back_to, self._return_to = self._return_to, None
        if back_to is not None and iv.is_relevant(back_to) and not iv.is_settled(back_to):
            return iv.question(back_to)
        question = self._next_open(back_to)
        if question is None:
            missing = iv.missing()
            question = missing[0] if missing else None
        return question

    def _stop(self) -> None:
        iv = self.interview
        if iv.session.status == "complete":
            self.ui.say("The session stays complete.", "good")
        else:
            self.ui.say("Stopped for now; everything answered is saved.")
        self.ui.say(f"Resume with: {self.opened.resume_command()}")

    def _finish(self) -> None:
        iv = self.interview
        iv.finish()
        self.ui.say("Session complete.", "good")
        self.ui.say(f"Headline: {self._headline()}")
        self.ui.say(f"Export the brief: {self._brief_command()}")

    def _headline(self) -> str:
        iv = self.interview
        try:
            brief = importlib.import_module("csintake.brief")
        except ImportError:
            brief = None
        if brief is not None:
            with contextlib.suppress(CsintakeError):
                return str(brief.build_brief(iv).headline)
        scope = iv.bank.brief.scope
        shown = iv.show(scope) if scope else None
        return shown or iv.text(iv.bank.brief.title)

    def _brief_command(self) -> str:
        prefix = self.opened.resume_command().rsplit(" interview ", 1)[0]
        return f"{prefix} brief {self.interview.session.id} -o brief.md"


def hint(question: AnyQuestion) -> str:
    """What kind of input a question takes, in a few words."""
    if isinstance(question, YesNoQuestion):
        return "y/n"
    if isinstance(question, ScaleQuestion):
        labels = ", ".join(f"{k} = {v}" for k, v in sorted(question.labels.items()))
        return f"{question.min} to {question.max}" + (f": {labels}" if labels else "")
    if isinstance(question, IntegerQuestion):
        return _range("whole number", question.min, question.max)
    if isinstance(question, NumberQuestion):
        low = None if question.min is None else show_value(question, float(question.min))
        high = None if question.max is None else show_value(question, float(question.max))
        return _range("number", low, high)
    if isinstance(question, DateQuestion):
        return _range("YYYY-MM-DD", question.min, question.max)
    return ""


def _range(what: str, low: object, high: object) -> str:
    if low is not None and high is not None:
        return f"{what}, {low} to {high}"
    if low is not None:
        return f"{what}, at least {low}"
    if high is not None:
        return f"{what}, at most {high}"
    return what
