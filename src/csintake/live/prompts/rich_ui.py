"""Prompts at a terminal: questionary for input, Rich for everything shown around it.

Text, numbers, dates, scales and yes/no are text prompts validated inline (the prompt stays
and says what is wrong). A choice is a menu (arrow keys, or the number shown before each
item); several choices are checkboxes. Commands are typed the same way everywhere: in a text
prompt as the whole input (``:back``); in a menu or checkbox list, ``:`` opens a command
line below it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, assert_never

import questionary
from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from csintake.errors import AnswerError
from csintake.live.prompts.base import (
    Answer,
    Control,
    Reply,
    Row,
    Spec,
    Tone,
    check_text,
    is_command,
    parse_command,
    reply_for_text,
)
from csintake.printable import visible

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

STYLES: dict[Tone, str] = {
    "plain": "",
    "title": "bold",
    "muted": "dim",
    "good": "green",
    "warn": "yellow",
    "error": "red",
}
MULTILINE_INSTRUCTION = "(several lines; finish with Esc then Enter, or Alt+Enter{})\n> "
_COMMAND = "\x00command"
"""What a menu returns when ``:`` was pressed (no choice value can be this)."""
_SHORTCUTS = 36
"""questionary numbers at most this many menu items (1-9, 0, then letters)."""
_REVIEW_CHROME = 6
"""Screen lines the review needs besides its rows: title, blank lines, the pick prompt."""
_MIN_WIDTH = 60
_MARKS_WIDTH = 22


def _t(text: str, style: str = "") -> Text:
    """Data (bank text, answers, names) as Text: shown as typed, never as a terminal control
    sequence; the same escapes as ``csintake show`` and the brief."""
    return Text(visible(text), style=style)


def _v(text: str | None) -> str | None:
    return None if text is None else visible(text)


class TerminalPrompts:
    """Questionary prompts and Rich output on one terminal.

    ``input`` and ``output`` are prompt_toolkit's; tests pass a pipe input and a dummy output.
    """

    def __init__(
        self,
        console: Console | None = None,
        *,
        input: Input | None = None,  # noqa: A002
        output: Output | None = None,
    ) -> None:
        self.console = console or Console(highlight=False)
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    # ------------------------------------------------------------------------ output

    def say(self, text: str, tone: Tone = "plain") -> None:
        if tone == "title":
            self.console.print()
        self.console.print(_t(text, STYLES[tone]))

    def table(self, title: str, rows: Sequence[Row]) -> None:
        """One line per question, fitted to the terminal's width from 60 columns: number,
        short prompt, the answer cut with an ellipsis, and marks. Never a zero-wide column."""
        width = max(self.console.size.width, _MIN_WIDTH) - 1
        numbers = max((len(str(r.number)) for r in rows), default=1)
        marks = [_marks(r) for r in rows]
        # Marks take at most a quarter of a narrow screen: the answer matters more.
        longest = max((cell_len(m) for m in marks), default=0)
        marks_width = min(longest, _MARKS_WIDTH, max(16, width // 4))
        rest = width - numbers - 2 - (marks_width + 2 if marks_width else 0)
        question_width = max(rest * 2 // 5, 12)
        answer_width = max(rest - question_width - 2, 10)
        self.console.print()
        self.console.print(_t(title, "bold"), no_wrap=True, overflow="ellipsis")
        for row, mark in zip(rows, marks, strict=True):
            if row.number == 0:
                self.console.print()
                self.console.print(_cut(row.question, width, "bold"))
                continue
            line = Text(f"{row.number:>{numbers}}  ", style="bold")
            line.append_text(_cut(row.question, question_width))
            line.append("  ")
            shown = _t(" / ".join(row.answer.splitlines()) or "-", "" if row.answer else "dim")
            if row.note:
                # Where the answer leaves room, the start of the note follows it.
                shown.append(visible("  note: " + " ".join(row.note.split())), style="italic")
            shown.truncate(answer_width, overflow="ellipsis", pad=True)
            line.append_text(shown)
            if marks_width:
                line.append("  ")
                line.append_text(_cut(mark, marks_width, "yellow"))
            self.console.print(line, no_wrap=True, overflow="ellipsis", crop=True)

    def page_lines(self) -> int | None:
        return max(self.console.size.height - _REVIEW_CHROME, 5)

    def _header(self, spec: Spec) -> None:
        line = Text()
        if spec.clock:
            line.append(f"{spec.clock}  ", style="bold")
        if spec.position:
            line.append(spec.position, style="bold")
        if spec.section:
            line.append(visible(f"  {spec.section}"))
        if spec.qid:
            line.append(f"  {spec.qid}", style="dim")
        if spec.controls:
            line.append("   :help for commands", style="dim")
        if line:
            self.console.print()
            self.console.print(line)
        if spec.help:
            self.console.print(_t(spec.help, "italic"))
        if spec.note:
            self.console.print(Text.assemble(("Note: ", "bold"), visible(spec.note)))
        if spec.parked:
            self.console.print(Text("Parked: to chase after the call.", style="yellow"))
        if spec.state:
            self.console.print(Text(f"Recorded as: {spec.state}.", style="yellow"))
        if spec.default is not None and spec.kind in ("choice", "multi_choice", "yes_no"):
            shown = spec.default_shown or str(spec.default)
            self.console.print(Text.assemble(("Enter keeps: ", "dim"), visible(shown)))

    # ------------------------------------------------------------------------- input

    def ask(self, spec: Spec) -> Reply:
        self._header(spec)
        while True:
            match spec.kind:
                case "choice":
                    reply = self._select(spec)
                case "multi_choice":
                    reply = self._checkbox(spec)
                case "text" | "long_text" | "yes_no" | "integer" | "number" | "scale" | "date":
                    reply = self._text(spec)
                case _:
                    assert_never(spec.kind)
            if reply is not None:
                return reply

    def _text(self, spec: Spec) -> Reply:
        prefill = "" if spec.kind == "yes_no" else _editable(spec.default)
        keeps = not prefill
        bindings = KeyBindings()

        @Condition
        def untouched() -> bool:
            return bool(prefill) and get_app().current_buffer.text == prefill

        @Condition
        def fresh() -> bool:
            # Untouched, with the cursor where it started: typing now replaces the default.
            buffer = get_app().current_buffer
            return untouched() and buffer.cursor_position == len(prefill)

        @bindings.add("<any>", filter=fresh)
        def _replace_default(event: KeyPressEvent) -> None:
            # A default is a suggestion: typing replaces it (":" starts a command the same
            # way), Enter keeps it, and arrows or Backspace edit it.
            if event.data and event.data.isprintable():
                event.current_buffer.text = event.data
                event.current_buffer.cursor_position = len(event.data)

        multiline = spec.kind == "long_text"
        if multiline:

            @Condition
            def command_typed() -> bool:
                text = get_app().current_buffer.text
                return "\n" not in text and is_command(text)

            @bindings.add("enter", filter=command_typed)
            def _submit_command(event: KeyPressEvent) -> None:
                event.current_buffer.validate_and_handle()

        def validate(text: str) -> bool | str:
            return check_text(text, spec, blank_keeps_default=keeps) or True

        message, instruction = self._wrapped(spec.message), _instruction(spec)
        if multiline:
            # prompt_toolkit cuts, rather than wraps, the lines of a prompt above the input:
            # a long question is shown whole by Rich, and the prompt keeps only the how-to.
            self.console.print(Text.assemble(("? ", "bold"), (message, "bold")))
            skips = "; empty skips" if not spec.required and "skip" in spec.controls else ""
            message, instruction = "", MULTILINE_INSTRUCTION.format(skips)
        question = questionary.text(
            message,
            default=prefill,
            validate=validate,
            qmark="" if multiline else "?",
            instruction=instruction,
            multiline=multiline,
            key_bindings=bindings,
            **self._io,
        )
        text: str = question.unsafe_ask()
        return reply_for_text(text, spec, blank_keeps_default=keeps)

    def _select(self, spec: Spec) -> Reply | None:
        choices = [
            questionary.Choice(title=visible(o.label), value=str(i), description=_v(o.help))
            for i, o in enumerate(spec.choices)
        ]
        default = _index(spec, spec.default)
        shortcuts = len(spec.choices) <= _SHORTCUTS
        question = questionary.select(
            self._wrapped(spec.message),
            choices=choices,
            default=None if default is None else choices[default],
            use_shortcuts=shortcuts,
            use_jk_keys=False,
            instruction="(arrows or number, then Enter)" if shortcuts else "(arrows, then Enter)",
            **self._io,
        )
        _add_command_key(question)
        picked = question.unsafe_ask()
        if picked == _COMMAND:
            return self._command(spec)
        return Answer(spec.validate(spec.choices[int(picked)].value))

    def _checkbox(self, spec: Spec) -> Reply | None:
        ticked = _indexes(spec, spec.default)

        def values(indexes: list[str]) -> list[str | int]:
            return [spec.choices[int(i)].value for i in indexes]

        def validate(indexes: list[str]) -> bool | str:
            if not indexes and not spec.required:
                return True
            try:
                spec.validate(values(indexes))
            except AnswerError as exc:
                return str(exc)
            return True

        question = questionary.checkbox(
            self._wrapped(spec.message),
            choices=[
                questionary.Choice(
                    title=visible(o.label),
                    value=str(i),
                    checked=i in ticked,
                    description=_v(o.help),
                )
                for i, o in enumerate(spec.choices)
            ],
            validate=validate,
            use_jk_keys=False,
            instruction="(arrows, Space to tick, a for all, then Enter)",
            **self._io,
        )
        _add_command_key(question)
        picked = question.unsafe_ask()
        if picked == _COMMAND:
            return self._command(spec)
        if not picked and not spec.required:
            return Control("skip")
        answer = Answer(spec.validate(values(picked)))
        # questionary leaves only "done (3 selections)": say which, for the rest of the call.
        labels = ", ".join(visible(spec.choices[int(i)].label) for i in picked)
        self.console.print(Text.assemble(("  Ticked: ", "dim"), labels))
        return answer

    def _command(self, spec: Spec) -> Control | None:
        """The command line a menu opens on ``:``; None when it is left empty."""
        # The menu has gone from the screen: its options stay in view above the command.
        for number, option in enumerate(spec.choices, start=1):
            self.console.print(_t(f"  {number}. {option.label}", "dim"))
        bindings = KeyBindings()

        @Condition
        def empty() -> bool:
            return not get_app().current_buffer.text

        @bindings.add("backspace", filter=empty)
        def _cancel(event: KeyPressEvent) -> None:
            event.app.exit(result="")

        def validate(text: str) -> bool | str:
            if not text.strip():
                return True
            try:
                parse_command(":" + text, spec)
            except AnswerError as exc:
                return str(exc)
            return True

        question = questionary.text(
            "",
            qmark=":",
            validate=validate,
            key_bindings=bindings,
            **self._io,
        )
        text: str = question.unsafe_ask()
        if not text.strip():
            return None
        return parse_command(":" + text.lstrip(":"), spec)

    def _wrapped(self, message: str) -> str:
        """The question broken at word boundaries to the terminal's width (prompt_toolkit
        breaks lines anywhere, even inside a word); ``? `` comes before the first line."""
        width = max(self.console.size.width - 4, 20)
        lines = visible(message).splitlines() or [""]
        return "\n".join(
            textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) or line
            for line in lines
        )


def _marks(row: Row) -> str:
    marks = [row.mark] if row.mark else []
    if row.note:
        marks.append("noted")
    return ", ".join(marks)


def _cut(text: str, width: int, style: str = "") -> Text:
    """Text on one line of exactly ``width`` cells, cut with an ellipsis."""
    shown = _t(" ".join(text.split()), style)
    shown.truncate(width, overflow="ellipsis", pad=True)
    return shown


def _add_command_key(question: questionary.Question) -> None:
    """Make ``:`` leave a menu or checkbox list with a request for the command line, and
    SIGINT stop it as Ctrl-C does."""
    bindings = KeyBindings()

    @bindings.add(":", eager=True)
    def _command(event: KeyPressEvent) -> None:
        event.app.exit(result=_COMMAND)

    # prompt_toolkit turns SIGINT into a "<sigint>" key press; a text prompt binds it to
    # KeyboardInterrupt, questionary's menus bind only the Ctrl-C key, so a SIGINT sent by
    # `kill` (or by a terminal not in raw mode) would be ignored there.
    @bindings.add("<sigint>", eager=True)
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])


def _instruction(spec: Spec) -> str:
    parts = [spec.hint] if spec.hint else []
    if spec.kind == "yes_no" and spec.default is not None:
        parts.append("Enter keeps " + ("yes" if spec.default else "no"))
    elif not spec.required and "skip" in spec.controls:
        parts.append("Enter on empty skips")
    return f"({'; '.join(parts)})" if parts else ""


def _editable(value: Any) -> str:
    """A default as text to edit in the input line."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _index(spec: Spec, value: Any) -> int | None:
    for i, option in enumerate(spec.choices):
        if option.value == value and type(option.value) is type(value):
            return i
    return None


def _indexes(spec: Spec, value: Any) -> set[int]:
    if not isinstance(value, list):
        return set()
    return {i for v in value if (i := _index(spec, v)) is not None}
