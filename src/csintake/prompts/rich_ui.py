"""Prompts at a terminal: questionary for input, Rich for everything shown around it.

Text, numbers, dates, scales and yes/no are text prompts validated inline (the prompt stays
and says what is wrong). A choice is a menu (arrow keys, or the number shown before each
item); several choices are checkboxes. Commands are typed the same way everywhere: in a text
prompt as the whole input (``:back``); in a menu or checkbox list, ``:`` opens a command
line below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import questionary
from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from rich.console import Console
from rich.table import Table
from rich.text import Text

from csintake.errors import AnswerError
from csintake.printable import visible
from csintake.prompts.base import (
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
        table = Table(title=_t(title, "bold"), title_justify="left")
        table.add_column("#", justify="right", style="dim")
        table.add_column("Id", style="dim", no_wrap=True)
        table.add_column("Question", no_wrap=True, overflow="ellipsis", max_width=40)
        table.add_column("Answer", overflow="fold", min_width=20, max_width=40)
        table.add_column("Note", overflow="fold", max_width=24)
        table.add_column("", no_wrap=True)
        for row in rows:
            if row.number == 0:
                table.add_section()
                table.add_row("", "", _t(row.question, "bold"), "", "", "")
                continue
            table.add_row(
                str(row.number),
                _t(row.qid),
                _t(row.question),
                _t(row.answer) if row.answer else Text("-", style="dim"),
                _t(row.note, "italic"),
                _t(row.mark, "yellow"),
            )
        self.console.print()
        self.console.print(table)

    def _header(self, spec: Spec) -> None:
        line = Text()
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
        if spec.default is not None and spec.kind in ("choice", "multi_choice", "yes_no"):
            shown = spec.default_shown or str(spec.default)
            self.console.print(Text.assemble(("Enter keeps: ", "dim"), visible(shown)))

    # ------------------------------------------------------------------------- input

    def ask(self, spec: Spec) -> Reply:
        self._header(spec)
        while True:
            if spec.kind == "choice":
                reply = self._select(spec)
            elif spec.kind == "multi_choice":
                reply = self._checkbox(spec)
            else:
                reply = self._text(spec)
            if reply is not None:
                return reply

    def _text(self, spec: Spec) -> Reply:
        prefill = "" if spec.kind == "yes_no" else _editable(spec.default)
        keeps = not prefill
        bindings = KeyBindings()

        @Condition
        def untouched() -> bool:
            return bool(prefill) and get_app().current_buffer.text == prefill

        @bindings.add(":", filter=untouched)
        def _start_command(event: KeyPressEvent) -> None:
            # A pre-filled answer would otherwise have to be erased before a command.
            event.current_buffer.text = ":"
            event.current_buffer.cursor_position = 1

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

        message, instruction = visible(spec.message), _instruction(spec)
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
            visible(spec.message),
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
            visible(spec.message),
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
        return Answer(spec.validate(values(picked)))

    def _command(self, spec: Spec) -> Control | None:
        """The command line a menu opens on ``:``; None when it is left empty."""
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
