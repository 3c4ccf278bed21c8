"""The prompt implementations, driven in-process.

Terminal prompts run real questionary applications on a prompt_toolkit pipe input, with
keys sent in pauses so that each state is drawn; what was drawn is kept to check that an
invalid answer keeps the prompt and says what is wrong.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from rich.console import Console

from csintake.bank.model import AnyQuestion, ChoiceQuestion, MultiChoiceQuestion, Section
from csintake.bank.validation import hint, validate_answer
from csintake.errors import AnswerError
from csintake.live.prompts.base import (
    NO_CONTROLS,
    Answer,
    Control,
    Option,
    Reply,
    Row,
    Spec,
    is_command,
    parse_command,
    unescape,
)
from csintake.live.prompts.plain import PlainPrompts
from csintake.live.prompts.rich_ui import TerminalPrompts
from csintake.live.prompts.scripted import ScriptedPrompts

UP, DOWN = "\x1b[A", "\x1b[B"
ENTER, ESC_ENTER, CTRL_C, CTRL_U, BACKSPACE = "\r", "\x1b\r", "\x03", "\x15", "\x7f"
LEFT = "\x1b[D"


def question(**data: Any) -> AnyQuestion:
    section = Section.model_validate({"id": "s", "title": "S", "questions": [data]})
    return section.questions[0]


def spec_for(q: AnyQuestion, **changes: Any) -> Spec:
    options: tuple[Option, ...] = ()
    if isinstance(q, (ChoiceQuestion, MultiChoiceQuestion)):
        options = tuple(Option(c.value, c.shown, c.help) for c in q.choices)
    spec = Spec(
        kind=q.type,
        message=q.prompt,
        validate=partial(validate_answer, q),
        required=q.required,
        choices=options,
        hint=hint(q),
        help=q.help or "",
        qid=q.id,
        position="3/9",
        section="Audience",
    )
    return replace(spec, **changes)


NAME = question(id="name", type="text", prompt="Which library?", min_length=2)
NOTE = question(id="note", type="text", prompt="Anything else?", required=False)
STORY = question(id="story", type="long_text", prompt="What happened?", max_length=40)
COUNT = question(id="count", type="integer", prompt="How many people?", min=1, max=500)
SHARE = question(id="share", type="number", prompt="What share?", min=0, max=1)
WHEN = question(id="when", type="date", prompt="By when?", min="2026-01-01")
RATE = question(
    id="rate", type="scale", prompt="How well?", min=1, max=5, labels={1: "Poor", 5: "Great"}
)
TRAINED = question(id="trained", type="yes_no", prompt="Trained before?")
MEANING = question(
    id="meaning",
    type="choice",
    prompt="Which kind of service?",
    choices=[
        {"value": "behavior", "label": "How staff treat patrons"},
        {"value": "offerings", "label": "The services we offer"},
        {"value": "both", "label": "Both"},
    ],
)
MINUTES = question(
    id="minutes",
    type="choice",
    prompt="How much time?",
    required=False,
    choices=[{"value": 60, "label": "One hour"}, {"value": 90, "label": "90 minutes"}],
)
ROLES = question(
    id="roles",
    type="multi_choice",
    prompt="Which roles?",
    max_selected=2,
    choices=[
        {"value": "desk", "label": "Front desk"},
        {"value": "reference", "label": "Reference"},
        {"value": "youth", "label": "Youth"},
    ],
)
CHANNELS = question(
    id="channels",
    type="multi_choice",
    prompt="Where?",
    required=False,
    choices=[{"value": "desk", "label": "At the desk"}, {"value": "phone", "label": "Phone"}],
)


# ---------------------------------------------------------------------- terminal driving


@dataclass
class Run:
    """What one prompt returned (or raised), what it drew, and what Rich printed."""

    reply: Reply | None = None
    error: BaseException | None = None
    screen: str = ""
    printed: str = ""
    finished: bool = False
    missed: list[str] = field(default_factory=list)


class Screen(Vt100_Output):
    """A terminal that knows how much room is below the cursor, as one answering cursor
    position requests does; prompt_toolkit draws bottom toolbars (where a checkbox list
    says what is wrong) only then."""

    def get_rows_below_cursor_position(self) -> int:
        return 40


@contextmanager
def terminal() -> Iterator[tuple[TerminalPrompts, PipeInput, io.StringIO, io.StringIO]]:
    with create_pipe_input() as keys:
        screen, printed = io.StringIO(), io.StringIO()
        output = Screen(screen, lambda: Size(rows=40, columns=100), term="xterm", enable_cpr=False)
        console = Console(file=printed, width=100, color_system=None, highlight=False)
        yield TerminalPrompts(console, input=keys, output=output), keys, screen, printed


@dataclass(frozen=True)
class Wait:
    """A pause in the typing until ``text`` has been drawn (as a person reads the screen)."""

    text: str


HANG = 120.0
"""Seconds after which a prompt that has not drawn or finished is stuck, not slow: every run
ends as soon as its last key is read, so this only bounds a failure."""


def drive(spec: Spec, *chunks: str | Wait, pause: float = 0.02) -> Run:
    """Ask ``spec`` at a terminal and type ``chunks``, waiting where a chunk says so.

    The screen is drawn in differences from the last state, so what is waited for should
    differ from what the screen showed just before.
    """
    run = Run()
    with terminal() as (ui, keys, screen, printed):

        def ask() -> None:
            try:
                run.reply = ui.ask(spec)
            except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt is a result here
                run.error = exc
            run.finished = True

        worker = threading.Thread(target=ask, daemon=True)
        worker.start()
        for chunk in chunks:
            if isinstance(chunk, Wait):
                deadline = time.monotonic() + HANG
                while chunk.text not in screen.getvalue() and time.monotonic() < deadline:
                    time.sleep(0.01)
                if chunk.text not in screen.getvalue():
                    run.missed.append(chunk.text)
                continue
            time.sleep(pause)
            keys.send_text(chunk)
        worker.join(HANG)
        if worker.is_alive():
            keys.close()
            worker.join(HANG)
        run.screen, run.printed = screen.getvalue(), printed.getvalue()
    assert run.finished, "the prompt did not finish"
    assert not run.missed, f"never shown: {run.missed}"
    return run


def answer(spec: Spec, *chunks: str | Wait) -> Any:
    run = drive(spec, *chunks)
    assert run.error is None, run.error
    assert isinstance(run.reply, Answer), run.reply
    return run.reply.value


def control(spec: Spec, *chunks: str | Wait) -> Control:
    run = drive(spec, *chunks)
    assert run.error is None, run.error
    assert isinstance(run.reply, Control), run.reply
    return run.reply


# ------------------------------------------------------------------------ text prompts


def test_text_answer() -> None:
    assert answer(spec_for(NAME), "Ames Public Library", ENTER) == "Ames Public Library"


def test_text_invalid_keeps_the_prompt_and_says_why() -> None:
    run = drive(spec_for(NAME), "A", ENTER, Wait("Enter at least 2 characters"), "mes", ENTER)
    assert run.reply == Answer("Ames")
    assert "Enter at least 2 characters" in run.screen


def test_integer_validated_inline_then_accepted() -> None:
    run = drive(
        spec_for(COUNT),
        "abc",
        ENTER,
        Wait("Enter a whole number from 1 to 500"),
        CTRL_U + "0",
        ENTER,
        CTRL_U + "12",
        ENTER,
    )
    assert run.reply == Answer(12)
    assert "Enter a whole number from 1 to 500" in run.screen
    assert "whole number, 1 to 500" in run.screen


def test_number_date_and_scale_are_validated_like_files() -> None:
    assert answer(spec_for(SHARE), "2", ENTER, CTRL_U + "0.5", ENTER) == 0.5
    run = drive(
        spec_for(WHEN),
        "2026-02-30",
        ENTER,
        Wait("2026-02-30: that date does not exist"),
        CTRL_U + "2025-03-01",
        ENTER,
        Wait("Enter a date on or after 2026-01-01, as YYYY-MM-DD"),
        CTRL_U + "2026-03-01",
        ENTER,
    )
    assert run.reply == Answer("2026-03-01")
    assert "2026-02-30: that date does not exist" in run.screen
    assert "Enter a date on or after 2026-01-01, as YYYY-MM-DD" in run.screen
    assert answer(spec_for(WHEN), "2025-12-31", ENTER, CTRL_U + "2026-01-01", ENTER) == (
        "2026-01-01"
    )
    run = drive(
        spec_for(RATE), "6", ENTER, Wait("Enter a whole number from 1 to 5"), CTRL_U + "5", ENTER
    )
    assert run.reply == Answer(5)
    assert "Enter a whole number from 1 to 5" in run.screen
    assert "1 to 5: 1 = Poor, 5 = Great" in run.screen


def test_default_is_prefilled_and_enter_keeps_it() -> None:
    assert answer(spec_for(COUNT, default=40), ENTER) == 40
    assert answer(spec_for(COUNT, default=40), BACKSPACE * 2 + "7", ENTER) == 7


def test_typing_over_a_prefilled_default_replaces_it() -> None:
    assert answer(spec_for(COUNT, default=1), "3", ENTER) == 3
    assert answer(spec_for(COUNT, default=40), "12", ENTER) == 12
    # Moving into the default edits it instead.
    assert answer(spec_for(COUNT, default=40), LEFT + "1", ENTER) == 410


def test_colon_on_an_untouched_prefilled_answer_starts_a_command() -> None:
    assert control(spec_for(COUNT, default=40), ":back", ENTER) == Control("back")
    # Once edited, a colon is just typed text (and not a valid number).
    run = drive(
        spec_for(COUNT, default=40),
        "1:",
        ENTER,
        Wait("Enter a whole number from 1 to 500"),
        BACKSPACE,
        ENTER,
    )
    assert run.reply == Answer(1)
    assert "Enter a whole number from 1 to 500" in run.screen


def test_commands_in_a_text_prompt() -> None:
    assert control(spec_for(NAME), ":back", ENTER) == Control("back")
    assert control(spec_for(NAME), ":b", ENTER) == Control("back")
    assert control(spec_for(NAME), ":note Director [b]hesitated", ENTER) == Control(
        "note", "Director [b]hesitated"
    )
    assert control(spec_for(NAME), ":n", ENTER) == Control("note", "")
    assert control(spec_for(NAME), ":park", ENTER) == Control("park")
    assert control(spec_for(NAME), ":help", ENTER) == Control("help")
    assert control(spec_for(NAME), ":review", ENTER) == Control("review")
    assert control(spec_for(NOTE), ":skip", ENTER) == Control("skip")


def test_skip_is_refused_inline_on_a_required_question() -> None:
    run = drive(
        spec_for(NAME),
        ":skip",
        ENTER,
        Wait("This question is required and cannot be skipped"),
        CTRL_U + "Ames",
        ENTER,
    )
    assert run.reply == Answer("Ames")
    assert "This question is required and cannot be skipped" in run.screen


def test_unknown_command_is_refused_inline() -> None:
    run = drive(
        spec_for(NAME),
        ":bogus",
        ENTER,
        Wait(":bogus is not a command; type :help for the list"),
        CTRL_U + "Ames",
        ENTER,
    )
    assert run.reply == Answer("Ames")
    assert ":bogus is not a command; type :help for the list" in run.screen


def test_commands_can_be_turned_off() -> None:
    run = drive(
        spec_for(NAME, controls=NO_CONTROLS),
        ":back",
        ENTER,
        Wait(":back cannot be used here"),
        CTRL_U + "Ames",
        ENTER,
    )
    assert run.reply == Answer("Ames")
    assert ":back cannot be used here" in run.screen


def test_double_colon_types_a_literal_colon() -> None:
    assert answer(spec_for(NAME), "::-) Ames", ENTER) == ":-) Ames"


def test_empty_optional_text_skips() -> None:
    assert control(spec_for(NOTE), ENTER) == Control("skip")


def test_long_text_several_lines_finished_with_escape_enter() -> None:
    run = drive(
        spec_for(STORY),
        Wait("finish with Esc then Enter, or Alt+Enter"),
        "First line",
        ENTER,
        "second line",
        ESC_ENTER,
    )
    assert run.reply == Answer("First line\nsecond line")
    assert "finish with Esc then Enter, or Alt+Enter" in run.screen
    assert "What happened?" in run.printed


def test_long_text_is_validated_inline() -> None:
    run = drive(
        spec_for(STORY),
        "x" * 41,
        ESC_ENTER,
        Wait("Enter at most 40 characters (this has 41)"),
        BACKSPACE,
        ESC_ENTER,
    )
    assert run.reply == Answer("x" * 40)
    assert "Enter at most 40 characters (this has 41)" in run.screen


def test_long_text_command_is_submitted_by_enter() -> None:
    assert control(spec_for(STORY), ":back", ENTER) == Control("back")
    prefilled = spec_for(STORY, default="An earlier answer")
    assert control(prefilled, ":park", ENTER) == Control("park")
    assert answer(prefilled, ESC_ENTER) == "An earlier answer"


def test_yes_no() -> None:
    assert answer(spec_for(TRAINED), "y", ENTER) is True
    assert answer(spec_for(TRAINED), "No", ENTER) is False
    assert answer(spec_for(TRAINED, default=False), ENTER) is False
    run = drive(spec_for(TRAINED), ENTER, Wait("An answer is required"), "n", ENTER)
    assert run.reply == Answer(False)
    assert "An answer is required" in run.screen
    run = drive(spec_for(TRAINED), "maybe", ENTER, Wait("Answer yes or no"), CTRL_U + "y", ENTER)
    assert run.reply == Answer(True)
    assert "Answer yes or no" in run.screen
    assert control(spec_for(TRAINED), ":back", ENTER) == Control("back")


# --------------------------------------------------------------------------- menus


def test_choice_by_number_and_by_arrows() -> None:
    assert answer(spec_for(MEANING), "3", ENTER) == "both"
    assert answer(spec_for(MEANING), DOWN, ENTER) == "offerings"
    assert answer(spec_for(MEANING), DOWN, DOWN, UP, ENTER) == "offerings"
    assert answer(spec_for(MINUTES), "2", ENTER) == 90


def test_choice_default_is_pointed_at() -> None:
    run = drive(spec_for(MEANING, default="both", default_shown="Both"), ENTER)
    assert run.reply == Answer("both")
    assert "Enter keeps: Both" in run.printed


def test_choice_commands_open_a_command_line() -> None:
    assert control(spec_for(MEANING), ":", "back", ENTER) == Control("back")
    assert control(spec_for(MEANING), ":", "note Ask the board", ENTER) == Control(
        "note", "Ask the board"
    )
    assert control(spec_for(MINUTES), ":", "skip", ENTER) == Control("skip")
    assert control(spec_for(MEANING), ":", "h", ENTER) == Control("help")


def test_choice_command_refused_inline_and_cancelled_back_to_the_menu() -> None:
    run = drive(
        spec_for(MEANING),
        ":",
        "skip",
        ENTER,
        Wait("This question is required and cannot be skipped"),
        BACKSPACE * 5,
        "2",
        ENTER,
    )
    assert run.reply == Answer("offerings")
    assert "This question is required and cannot be skipped" in run.screen


def test_checkboxes() -> None:
    assert answer(spec_for(ROLES), " ", DOWN, DOWN, " ", ENTER) == ["desk", "youth"]
    ticked = spec_for(ROLES, default=["reference"])
    assert answer(ticked, ENTER) == ["reference"]
    assert answer(ticked, " ", ENTER) == ["desk", "reference"]


def test_checkboxes_validated_inline() -> None:
    run = drive(
        spec_for(ROLES), "a", ENTER, Wait("Choose at least 1 and at most 2"), "a", " ", ENTER
    )
    assert run.reply == Answer(["desk"])
    assert "Choose at least 1 and at most 2" in run.screen
    run = drive(spec_for(ROLES), ENTER, Wait("Choose at least 1"), " ", ENTER)
    assert run.reply == Answer(["desk"])
    assert "Choose at least 1" in run.screen


def test_checkboxes_empty_optional_skips_and_commands_work() -> None:
    assert control(spec_for(CHANNELS), ENTER) == Control("skip")
    assert control(spec_for(ROLES), ":", "park", ENTER) == Control("park")


@pytest.mark.parametrize(
    "spec", [spec_for(NAME), spec_for(MEANING), spec_for(ROLES), spec_for(TRAINED)]
)
def test_ctrl_c_raises_keyboard_interrupt(spec: Spec) -> None:
    run = drive(spec, CTRL_C)
    assert isinstance(run.error, KeyboardInterrupt)


# ------------------------------------------------------------------- what is printed


def test_header_shows_position_section_id_help_note_and_parked() -> None:
    spec = spec_for(
        COUNT, help="Count everyone [red]at[/red] the desk", note="[b]ask HR", parked=True
    )
    run = drive(spec, "5", ENTER)
    assert run.reply == Answer(5)
    assert "3/9  Audience  count   :help for commands" in run.printed
    assert "Count everyone [red]at[/red] the desk" in run.printed
    assert "Note: [b]ask HR" in run.printed
    assert "Parked: to chase after the call." in run.printed


def test_say_and_table_show_user_text_literally() -> None:
    with terminal() as (ui, _keys, _screen, printed):
        ui.say("[bold]Ames[/bold] <script>", "title")
        ui.table(
            "Review: [i]Ames",
            [
                Row(0, "Request [and] scope"),
                Row(1, "Which library?", "name", "[bold]Ames[/bold]", "[red]note", "parked"),
            ],
        )
        text = printed.getvalue()
    assert "[bold]Ames[/bold] <script>" in text
    assert "Review: [i]Ames" in text
    assert "Request [and] scope" in text
    assert "[bold]Ames[/bold]" in text.split("Review")[1]
    assert "[red]note" in text


# --------------------------------------------------------------------------- plain


def plain(spec: Spec, *lines: str) -> tuple[Reply, str]:
    out = io.StringIO()
    reply = PlainPrompts(io.StringIO("".join(f"{x}\n" for x in lines)), out).ask(spec)
    return reply, out.getvalue()


def test_plain_numbered_choices_and_values() -> None:
    reply, out = plain(spec_for(MEANING), "9", "3")
    assert reply == Answer("both")
    assert "3/9 [meaning] Which kind of service?\n  1. How staff treat patrons\n" in out
    assert "! Choose one of: behavior, offerings, both" in out
    assert plain(spec_for(MEANING), "The services we offer")[0] == Answer("offerings")
    assert plain(spec_for(MINUTES), "90")[0] == Answer(90)
    assert plain(spec_for(MINUTES), "2")[0] == Answer(90)
    assert plain(spec_for(MINUTES), "")[0] == Control("skip")
    assert plain(spec_for(MEANING, default="both"), "")[0] == Answer("both")


def test_plain_multi_choice_by_comma_separated_numbers() -> None:
    assert plain(spec_for(ROLES), "3, 1")[0] == Answer(["desk", "youth"])
    assert plain(spec_for(ROLES), "youth,2")[0] == Answer(["reference", "youth"])
    reply, out = plain(spec_for(ROLES), "1,2,3", "", "1")
    assert reply == Answer(["desk"])
    assert out.count("! Choose at least 1 and at most 2") == 2
    assert plain(spec_for(CHANNELS), "")[0] == Control("skip")


def test_plain_yes_no_dates_numbers_and_defaults() -> None:
    assert plain(spec_for(TRAINED), "maybe", "y")[0] == Answer(True)
    assert plain(spec_for(TRAINED, default=True), "")[0] == Answer(True)
    assert plain(spec_for(COUNT, default=4, default_shown="4"), "")[0] == Answer(4)
    reply, out = plain(spec_for(WHEN), "tomorrow", "2026-05-01")
    assert reply == Answer("2026-05-01")
    assert "Type a date as YYYY-MM-DD, at least 2026-01-01." in out
    assert "! Enter a date on or after 2026-01-01, as YYYY-MM-DD" in out


def test_plain_long_text_ends_with_a_period_line() -> None:
    reply, out = plain(spec_for(STORY), "First.", "", "Third.", ".")
    assert reply == Answer("First.\n\nThird.")
    assert "then a line with just a period to finish" in out
    assert plain(spec_for(STORY), ":back")[0] == Control("back")
    with pytest.raises(EOFError):
        plain(spec_for(STORY), "never finished")


def test_plain_commands_and_end_of_input() -> None:
    assert plain(spec_for(NAME), ":note call back Tuesday")[0] == Control(
        "note", "call back Tuesday"
    )
    assert plain(spec_for(MEANING), ":p")[0] == Control("park")
    assert plain(spec_for(ROLES), ":review")[0] == Control("review")
    reply, out = plain(spec_for(NAME), ":skip", "Ames")
    assert reply == Answer("Ames")
    assert "! This question is required and cannot be skipped" in out
    with pytest.raises(EOFError):
        plain(spec_for(NAME))


def test_plain_writes_no_escape_sequences() -> None:
    out = io.StringIO()
    ui = PlainPrompts(io.StringIO("2\n"), out)
    ui.say("[bold]x[/bold]", "title")
    ui.table("Review", [Row(0, "Scope"), Row(1, "Q?", "q", "line one\nline two", "n", "parked")])
    ui.ask(spec_for(MEANING, note="check", parked=True, help="Some help"))
    text = out.getvalue()
    assert "\x1b" not in text
    assert "[bold]x[/bold]" in text
    assert "1. [q] Q? = line one / line two [parked] (note: n)" in text
    assert "  Note: check\n  Parked: to chase after the call.\n" in text


# ------------------------------------------------------------------ commands, scripted


def test_command_parsing() -> None:
    spec = spec_for(NOTE)
    assert is_command(":back")
    assert is_command("  :b")
    assert not is_command("::x")
    assert not is_command("a:b")
    assert unescape("::x") == ":x"
    assert unescape("x") == "x"
    assert parse_command(":NOTE  two  words ", spec) == Control("note", "two  words")
    assert parse_command(":?", spec) == Control("help")
    with pytest.raises(AnswerError, match="is not a command"):
        parse_command(":", spec)
    with pytest.raises(AnswerError, match="required"):
        parse_command(":s", spec_for(NAME))


def test_scripted_prompts_validate_like_typed_answers() -> None:
    ui = ScriptedPrompts.of([0, "abc", 12, ":back"])
    assert ui.ask(spec_for(COUNT)) == Answer(12)
    assert ui.errors == ["Enter a whole number from 1 to 500", "Enter a whole number from 1 to 500"]
    assert ui.ask(spec_for(COUNT)) == Control("back")
    with pytest.raises(EOFError):
        ui.ask(spec_for(COUNT))
    assert [s.qid for s in ui.asked] == ["count", "count", "count"]


def test_a_menu_keeps_its_options_in_view_under_a_command() -> None:
    run = drive(spec_for(MEANING), ":", Wait(":"), "note Ask the board", ENTER)
    assert run.reply == Control("note", "Ask the board")
    assert "1. How staff treat patrons" in run.printed
    assert "3. Both" in run.printed


def test_a_ticked_list_leaves_the_chosen_labels_on_screen() -> None:
    run = drive(spec_for(ROLES), " ", DOWN, DOWN, " ", ENTER)
    assert run.reply == Answer(["desk", "youth"])
    assert "Ticked: Front desk, Youth" in run.printed


def test_a_long_question_wraps_at_word_boundaries() -> None:
    long = "How many of the library's staff would take part in the training, counting every branch?"
    console = Console(file=io.StringIO(), width=40, color_system=None)
    lines = TerminalPrompts(console)._wrapped(long).splitlines()
    assert len(lines) > 1
    assert all(len(line) <= 36 for line in lines)
    assert " ".join(lines) == long  # broken only between words


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_the_review_is_one_line_per_question_at_any_width(width: int) -> None:
    printed = io.StringIO()
    console = Console(file=printed, width=width, color_system=None, highlight=False)
    rows = [
        Row(0, "Request and scope"),
        Row(1, "Which library is this for?", "library_name", "Ames Public Library"),
        Row(
            2,
            "What prompted you? " * 5,
            "prompted_by",
            "A run of complaints\nand more " * 4,
            "Director hesitated",
            "parked, missing",
        ),
        Row(10, "When does the plan end?", "plan_end", "", "", "don't know"),
    ]
    TerminalPrompts(console).table("Review: Ames", rows)
    lines = printed.getvalue().splitlines()
    assert all(len(line) <= width for line in lines), lines
    numbered = [line for line in lines if line[:2].strip().isdigit()]
    assert [line.split()[0] for line in numbered] == ["1", "2", "10"]
    assert "Ames Public Library" in numbered[0]
    assert "A run of" in numbered[1]
    assert "…" in numbered[1]
    assert "parked, missing" in numbered[1]
    assert numbered[2].rstrip().endswith("don't know")
