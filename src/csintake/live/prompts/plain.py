"""Plain numbered prompts, read line by line: for pipes, logs and screen readers.

Nothing here writes an escape sequence: no colour, no cursor movement, no box drawing.
A choice is answered by its number (or its value or label), several choices by numbers
separated by commas, long text by lines ending with a line holding only a period.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO, assert_never

from csintake.errors import AnswerError
from csintake.live.prompts.base import (
    Answer,
    Reply,
    Row,
    Spec,
    Tone,
    blank_reply,
    is_command,
    pick_number,
    reply_for_text,
)
from csintake.printable import visible

END_OF_TEXT = "."
PROMPT = "> "
_TYPE = {"integer": "Type a ", "number": "Type a ", "date": "Type a date as ", "scale": "Type "}
"""How each kind's hint ("whole number, 1 to 500") is introduced."""


class PlainPrompts:
    """Prompts as numbered lines on ``output``, answers as lines from ``input``."""

    def __init__(self, input: TextIO, output: TextIO) -> None:  # noqa: A002
        self.input = input
        self.output = output
        try:
            self._echo = not input.isatty()
        except (AttributeError, ValueError):
            self._echo = True

    # ------------------------------------------------------------------------ output

    def _write(self, text: str) -> None:
        # Bank text and answers may hold escape sequences: shown, never obeyed.
        self.output.write(visible(text))
        self.output.flush()

    def say(self, text: str, tone: Tone = "plain") -> None:
        if tone == "title":
            self._write(f"\n{text}\n")
        elif tone in ("warn", "error"):
            self._write(f"! {text}\n")
        else:
            self._write(f"{text}\n")

    def table(self, title: str, rows: Sequence[Row]) -> None:
        self._write(f"\n{title}\n")
        for row in rows:
            if row.number == 0:
                self._write(f"\n{row.question}\n")
                continue
            answer = " / ".join(row.answer.splitlines()) or "(no answer)"
            line = f"{row.number}. [{row.qid}] {row.question} = {answer}"
            if row.mark:
                line += f" [{row.mark}]"
            if row.note:
                line += f" (note: {row.note})"
            self._write(line + "\n")

    def page_lines(self) -> int | None:
        # A pipe or a screen reader reads on: the whole review at once.
        return None

    # ------------------------------------------------------------------------- input

    def _line(self) -> str:
        self._write(PROMPT)
        line = self.input.readline()
        if not line:
            raise EOFError
        line = line.rstrip("\r\n")
        if self._echo:
            # Nothing shows what a pipe typed: repeat it so the transcript reads well.
            self._write(line + "\n")
        return line

    def _show(self, spec: Spec) -> None:
        head = f"{spec.position} " if spec.position else ""
        if spec.clock:
            head = f"({spec.clock}) {head}"
        ident = f"[{spec.qid}] " if spec.qid else ""
        self._write(f"\n{head}{ident}{spec.message}\n")
        if spec.help:
            self._write(f"  Help: {spec.help}\n")
        if spec.note:
            self._write(f"  Note: {spec.note}\n")
        if spec.parked:
            self._write("  Parked: to chase after the call.\n")
        if spec.state:
            self._write(f"  Recorded as: {spec.state}.\n")
        for number, option in enumerate(spec.choices, start=1):
            extra = f" - {option.help}" if option.help else ""
            self._write(f"  {number}. {option.label}{extra}\n")
        instruction = self._instruction(spec)
        if instruction:
            self._write(f"  {instruction}\n")

    def _instruction(self, spec: Spec) -> str:
        parts: list[str] = []
        match spec.kind:
            case "choice":
                parts.append("Type a number")
            case "multi_choice":
                parts.append("Type numbers separated by commas")
            case "long_text":
                parts.append("Type one or more lines, then a line with just a period to finish")
            case "yes_no":
                parts.append("Type y or n")
            case "text" | "integer" | "number" | "scale" | "date":
                if spec.hint:
                    parts.append(_TYPE.get(spec.kind, "") + spec.hint)
            case _:
                assert_never(spec.kind)
        if spec.default is not None:
            shown = spec.default_shown or str(spec.default)
            parts.append(f"Enter keeps: {shown}")
        elif not spec.required and spec.controls:
            parts.append("Enter skips")
        if spec.controls:
            parts.append(":help for commands")
        return ". ".join(parts) + "." if parts else ""

    def ask(self, spec: Spec) -> Reply:
        self._show(spec)
        while True:
            try:
                return self._read(spec)
            except AnswerError as exc:
                self._write(f"! {exc}\n")

    def _read(self, spec: Spec) -> Reply:
        first = self._line()
        if spec.kind == "long_text" and first.strip() and not is_command(first):
            lines: list[str] = []
            line = first
            while line.strip() != END_OF_TEXT:
                lines.append(line)
                line = self._line()
            return reply_for_text("\n".join(lines), spec, blank_keeps_default=True)
        if spec.kind == "choice" and not is_command(first):
            index = pick_number(first, len(spec.choices))
            if index is not None:
                return Answer(spec.validate(spec.choices[index].value))
        if spec.kind == "multi_choice" and not is_command(first):
            return self._multi(first, spec)
        return reply_for_text(first, spec, blank_keeps_default=True)

    @staticmethod
    def _multi(text: str, spec: Spec) -> Reply:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not parts:
            return blank_reply(spec)
        items: list[object] = []
        for part in parts:
            index = pick_number(part, len(spec.choices))
            items.append(spec.choices[index].value if index is not None else part)
        return Answer(spec.validate(items))
