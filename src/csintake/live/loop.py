"""The live interview on a call: the engine driven through a :class:`Prompts`.

The loop asks the next open question, applies the answer or command through the engine
(which saves before returning), and ends in a review where any answer can be changed before
the session is marked complete. Ctrl-C, a closed input or a hang-up stop it with everything
answered already on disk and the command that resumes it shown.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal

from csintake.bank.model import (
    AnyQuestion,
    ChoiceQuestion,
    MultiChoiceQuestion,
)
from csintake.bank.validation import hint, show_value, validate_answer
from csintake.errors import NOT_SKIPPABLE, AnswerError, CsintakeError, StoreError, UsageError
from csintake.live.prompts.base import (
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
from csintake.store.session import STATE_MARKS, Unknown

if TYPE_CHECKING:
    from csintake.interview.engine import Interview
    from csintake.interview.intake import Opened

INTERRUPTED = 130
REMOVE_NOTE = "-"
_REVIEW_ANSWER_WIDTH = 160
_SHIFT_NAMES = 5
"""At most this many questions are named in a "now apply" line; the rest are counted."""
_SHORT = 40
_RECORDED: dict[Unknown, str] = {
    "dont_know": "Recorded: the client does not know. It goes on the follow-up list.",
    "declined": "Recorded: the client declined to say.",
}


def make_prompts(*, plain: bool = False) -> Prompts:
    """Plain prompts when asked for, or when this is not an interactive terminal."""
    if plain or not _interactive():
        from csintake.live.prompts.plain import PlainPrompts

        return PlainPrompts(sys.stdin, sys.stdout)
    from csintake.live.prompts.rich_ui import TerminalPrompts

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


def run_live(opened: Opened, *, plain: bool = False, call_minutes: int | None = None) -> int:
    """Run the interview at the keyboard; returns the exit code."""
    return run(opened, make_prompts(plain=plain), call_minutes=call_minutes)


def run(opened: Opened, prompts: Prompts, *, call_minutes: int | None = None) -> int:
    """Run the interview through ``prompts``; 0 when it ends, 130 when it is interrupted."""
    return LiveInterview(opened, prompts, call_minutes=call_minutes).run()


def clock_text(seconds_left: float) -> str:
    """The call clock as the header shows it: whole minutes left, rounded up."""
    if seconds_left >= 0:
        return f"{math.ceil(seconds_left / 60)} min left"
    return f"{math.ceil(-seconds_left / 60)} min over"


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


Pick = tuple[Literal["finish", "continue", "stop", "change", "next", "previous"], str]


def _pages(rows: list[Row], lines: int | None) -> list[list[Row]]:
    """The review cut into screenfuls (a section heading takes two lines); one page when
    the prompts do not page."""
    if lines is None:
        return [rows]
    pages: list[list[Row]] = [[]]
    used = 0
    for row in rows:
        height = 2 if row.number == 0 else 1
        # A heading is never left alone at the foot of a page.
        if pages[-1] and used + height + (row.number == 0) > lines:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += height
    return pages


class LiveInterview:
    """One run of the interview loop."""

    def __init__(
        self, opened: Opened, prompts: Prompts, *, call_minutes: int | None = None
    ) -> None:
        self.opened = opened
        self.interview: Interview = opened.interview
        self.ui = prompts
        self._shown_section: str | None = None
        self._return_to: str | None = None
        self._ends_at = None if call_minutes is None else time.monotonic() + call_minutes * 60

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
        question = None if iv.marked_complete else iv.next_open(None)
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
        status = "complete" if iv.marked_complete else "in progress"
        self.ui.say(f"{session.client}  (session {session.id})", "title")
        self.ui.say(f"{answered} of {len(relevant)} questions answered; {status}.")
        for notice in self.opened.notices:
            self.ui.say(notice, "plain" if notice.startswith("New session") else "warn")
        parked = iv.parked()
        if parked:
            self.ui.say(f"Parked to chase: {', '.join(parked)}.", "warn")
        self.ui.say(CONTROLS_LINE, "muted")
        if iv.marked_complete:
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
        iv.time_section(question.id)
        reply = self.ui.ask(self._spec(question))
        qid = question.id
        if isinstance(reply, Answer):
            if iv.changes(qid, reply.value):
                self._reopen()
            try:
                iv.answer(reply.value, "prompt", qid=qid)
            except AnswerError as exc:
                self.ui.say(str(exc), "error")
                return question
            self._say_shift()
            return iv.next_open(qid)
        return self._control(question, reply)

    def _say_shift(self) -> None:
        """One line for questions an answer made relevant, one for those it set aside."""
        shift = self.interview.shift
        for questions, what in (
            (shift.now_apply, "now apply"),
            (shift.no_longer, "no longer apply"),
        ):
            if not questions:
                continue
            count = len(questions)
            names = [self._short(q) for q in questions[:_SHIFT_NAMES]]
            if count > _SHIFT_NAMES:
                names.append(f"and {count - _SHIFT_NAMES} more")
            verb = what if count > 1 else what.replace("apply", "applies")
            noun = "questions" if count > 1 else "question"
            self.ui.say(f"{count} {noun} {verb}: {', '.join(names)}", "muted")

    def _short(self, question: AnyQuestion) -> str:
        """A question's label, else its prompt cut to a few words."""
        text = self.interview.text(question.label or question.prompt)
        text = " ".join(text.split())
        return text if len(text) <= _SHORT else text[: _SHORT - 1].rstrip() + "…"

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
            if not iv.can_skip(qid):
                self.ui.say(f"{NOT_SKIPPABLE}.", "error")
                return question
            if iv.status(qid) != "skipped":
                self._reopen()
            iv.skip(qid)
            self._say_shift()
            self.ui.say("Skipped.", "muted")
            return iv.next_open(qid)
        if reply.action in ("dont_know", "declined"):
            state: Unknown = "dont_know" if reply.action == "dont_know" else "declined"
            self._reopen()
            iv.mark(state, qid)
            self._say_shift()
            self.ui.say(_RECORDED[state], "muted")
            return iv.next_open(qid)
        if reply.action == "brief":
            self._peek()
            return question
        if reply.action == "note":
            self._note(question, reply.text)
            return question
        if reply.action == "park":
            self._reopen()
            if iv.park(qid):
                self.ui.say("Parked: to chase after the call.", "warn")
                return iv.next_open(qid)
            self.ui.say("No longer parked.", "muted")
            return question
        if reply.action == "help":
            self._help(question)
            return question
        self._return_to = qid
        return None

    def _note(self, question: AnyQuestion, text: str) -> None:
        iv = self.interview
        current = iv.note_of(question.id)
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

    def _peek(self) -> None:
        """A few plain lines on the brief so far; the same question follows."""
        from csintake.brief.peek import peek_lines

        self.ui.say("The brief so far", "title")
        try:
            lines = peek_lines(self.interview)
        except CsintakeError as exc:
            lines = exc.lines()[:1]
        for line in lines:
            self.ui.say(line)

    def _clock(self) -> str:
        if self._ends_at is None:
            return ""
        return clock_text(self._ends_at - time.monotonic())

    def _spec(self, question: AnyQuestion) -> Spec:
        iv = self.interview
        default = iv.default_for(question)
        marks = iv.marks(question.id)
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
            note=iv.note_of(question.id),
            parked="parked" in marks,
            state=next((m for m in marks if m in STATE_MARKS.values()), ""),
            clock=self._clock(),
            controls=ALL_CONTROLS,
        )

    # ------------------------------------------------------------------------ review

    def _rows(self) -> list[Row]:
        iv = self.interview
        rows: list[Row] = []
        section = None
        for number, q in enumerate(iv.relevant, start=1):
            if iv.section(q.id) is not section:
                section = iv.section(q.id)
                rows.append(Row(0, iv.text(section.title)))
            marks = iv.marks(q.id)
            answer = iv.show(q.id) or ""
            if len(answer) > _REVIEW_ANSWER_WIDTH:
                answer = answer[: _REVIEW_ANSWER_WIDTH - 1] + "…"
            rows.append(
                Row(
                    number,
                    iv.text(q.label or q.prompt),
                    q.id,
                    answer,
                    iv.note_of(q.id),
                    ", ".join(marks),
                )
            )
        return rows

    def _review(self) -> AnyQuestion | None:
        """Show every relevant answer, a screenful at a time; the question to change next,
        or None when done."""
        iv = self.interview
        iv.time_section(None)
        page = 0
        while True:
            self._shown_section = None
            pages = _pages(self._rows(), self.ui.page_lines())
            page = min(page, len(pages) - 1)
            title = f"Review: {iv.session.client}"
            if len(pages) > 1:
                title += f"  (page {page + 1} of {len(pages)})"
            self.ui.table(title, pages[page])
            paged = len(pages) > 1
            missing = iv.missing()
            if missing:
                count = len(missing)
                self.ui.say(
                    f"{count} required question{'s' if count > 1 else ''} still open"
                    " (marked missing).",
                    "warn",
                )
            pick = "Type a number or id to change that answer"
            if paged:
                pick += "; n for the next page, p for the previous"
            if missing:
                message = f"{pick}; Enter to go on with the open questions; x to stop for now"
            else:
                message = f"{pick}; Enter to finish; x to stop for now"
            spec = Spec(
                kind="text",
                message=message,
                validate=partial(self._pick, complete=not missing, paged=paged),
                required=False,
                controls=NO_CONTROLS,
            )
            reply = self.ui.ask(spec)
            assert isinstance(reply, Answer)
            action, qid = reply.value
            if action in ("next", "previous"):
                page = (page + (1 if action == "next" else -1)) % len(pages)
                continue
            if action == "change":
                self._return_to = None
                return iv.question(qid)
            if action == "stop":
                self._stop()
                return None
            if action == "finish":
                self._finish()
                return None
            back_to, self._return_to = self._return_to, None
            question = iv.continue_at(back_to)
            if question is not None:
                return question
            page = 0

    def _pick(self, raw: Any, *, complete: bool, paged: bool = False) -> Pick:
        text = str(raw).strip().casefold()
        if paged and text in ("n", "next", "p", "previous"):
            return ("next" if text.startswith("n") else "previous", "")
        if not text or text in ("f", "finish", "c", "continue"):
            return ("finish" if complete else "continue", "")
        if text in ("x", "stop", "q", "quit"):
            return ("stop", "")
        found = self.interview.find(text)
        if found is not None:
            return ("change", found.id)
        count = len(self.interview.relevant)
        raise AnswerError(f"Type a number from 1 to {count} or a question's id, Enter, or x")

    def _stop(self) -> None:
        iv = self.interview
        if iv.marked_complete:
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
        from csintake.brief import build_brief

        iv = self.interview
        with contextlib.suppress(CsintakeError):
            return build_brief(iv).headline
        scope = iv.bank.brief.scope
        shown = iv.show(scope) if scope else None
        return shown or iv.text(iv.bank.brief.title)

    def _brief_command(self) -> str:
        prefix = self.opened.resume_command().rsplit(" interview ", 1)[0]
        return f"{prefix} brief {self.interview.session.id} -o brief.md"
