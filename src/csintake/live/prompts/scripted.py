"""Prompts that play a script, for tests of the live interview without a terminal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from csintake.errors import AnswerError
from csintake.live.prompts.base import Answer, Control, Reply, Row, Spec, Tone, reply_for_text


@dataclass
class ScriptedPrompts:
    """Each step is a reply, or text typed into the prompt (commands included).

    Answers go through ``spec.validate`` like typed ones; an invalid step is recorded in
    ``errors`` and the next step is tried on the same question. When the script runs out,
    the input is closed (EOFError), as when a pipe ends.
    """

    steps: list[Reply | str]
    asked: list[Spec] = field(default_factory=list)
    said: list[tuple[str, Tone]] = field(default_factory=list)
    tables: list[list[Row]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, steps: Iterable[Reply | str | Any]) -> ScriptedPrompts:
        """Steps from replies, typed text, or bare values (taken as answers)."""
        return cls([s if isinstance(s, (Answer, Control, str)) else Answer(s) for s in steps])

    def ask(self, spec: Spec) -> Reply:
        self.asked.append(spec)
        while True:
            if not self.steps:
                raise EOFError
            step = self.steps.pop(0)
            try:
                if isinstance(step, str):
                    return reply_for_text(step, spec, blank_keeps_default=True)
                if isinstance(step, Answer):
                    return Answer(spec.validate(step.value))
                return step
            except AnswerError as exc:
                self.errors.append(str(exc))

    def say(self, text: str, tone: Tone = "plain") -> None:
        self.said.append((text, tone))

    def table(self, title: str, rows: Sequence[Row]) -> None:
        self.tables.append(list(rows))

    page: int | None = None
    """Review lines per page, as a screen of that height would give."""

    def page_lines(self) -> int | None:
        return self.page

    @property
    def text(self) -> str:
        """Everything said, one message a line."""
        return "\n".join(text for text, _ in self.said)
