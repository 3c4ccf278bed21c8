"""Loading a bank and checking it: every problem at once, each with its line and column.

Shape is checked by the pydantic models; then each question, module and flag that has a sound
shape is checked for what pydantic cannot see: duplicate ids, conditions, placeholders,
defaults, bounds and the brief's references.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, assert_never

from pydantic import TypeAdapter, ValidationError

from csintake.bank import conditions
from csintake.bank.model import (
    AnyQuestion,
    Bank,
    ChoiceQuestion,
    DateQuestion,
    Evaluation,
    Flag,
    IntegerQuestion,
    LongTextQuestion,
    Module,
    MultiChoiceQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from csintake.bank.patterns import pattern_problem
from csintake.bank.problems import _get, pydantic_problems
from csintake.errors import AnswerError, ConditionError, Problem, YamlError
from csintake.files.yamlfile import Located, Path_, load_file, load_text

_QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)


def check_file(path: Path, display: str | None = None) -> tuple[Bank | None, list[Problem]]:
    """Every problem of a bank file, and the bank when there are none."""
    try:
        doc = load_file(path, display)
    except YamlError as exc:
        return None, exc.problems
    return check_document(doc)


def check_bytes(raw: bytes, name: str) -> tuple[Bank | None, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 0, 0, f"not UTF-8 text ({exc.reason})")]
    try:
        doc = load_text(text, name)
    except YamlError as exc:
        return None, exc.problems
    return check_document(doc)


def check_document(doc: Located) -> tuple[Bank | None, list[Problem]]:
    """Check a loaded document; the bank is returned only when nothing is wrong."""
    if not isinstance(doc.value, dict):
        return None, [doc.problem((), "a bank is a mapping with format, id, sections and brief")]
    problems: list[Problem] = []
    bank: Bank | None = None
    try:
        bank = Bank.model_validate(doc.value)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, doc))
    problems.extend(_Semantics(doc).run())
    problems = sorted(set(problems), key=lambda p: (p.line, p.column, p.message))
    return (bank if not problems else None), problems


# ------------------------------------------------------------------ pydantic errors -> lines


# ------------------------------------------------------------------------- semantic checks


@dataclass
class _Item:
    path: Path_
    question: AnyQuestion
    index: int


class _Semantics:
    """The checks pydantic cannot do, run on every piece whose own shape is sound."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.value
        self.problems: list[Problem] = []
        self.items: list[_Item] = []
        self.order: dict[str, int] = {}
        self.known_broken: set[str] = set()
        self.section_start: list[tuple[Path_, int]] = []
        # Set before _collect, which returns early when `sections` is missing or not a list:
        # the brief's checks still look questions up.
        self.questions: dict[str, _Item] = {}
        self.strands: set[str] = set()

    def run(self) -> list[Problem]:
        self._collect()
        for item in self.items:
            self._check_question(item)
        for path, start in self.section_start:
            when = _get(self.data, (*path, "when"))
            if isinstance(when, str):
                self._condition((*path, "when"), when, before=start)
            for key in ("title", "intro"):
                text = _get(self.data, (*path, key))
                if isinstance(text, str):
                    self._placeholders((*path, key), text, before=start)
        self._check_brief()
        self._check_migrations()
        return self.problems

    def add(
        self, path: Path_, message: str, *, key: bool = False, offset: int | None = None
    ) -> None:
        self.problems.append(self.doc.problem(path, message, key=key, offset=offset))

    def _collect(self) -> None:
        sections = self.data.get("sections")
        if not isinstance(sections, list):
            return
        seen_sections: dict[str, Path_] = {}
        index = 0
        for si, section in enumerate(sections):
            spath: Path_ = ("sections", si)
            if not isinstance(section, dict):
                continue
            sid = section.get("id")
            if isinstance(sid, str):
                if sid in seen_sections:
                    self.add((*spath, "id"), f"duplicate section id '{sid}'")
                seen_sections.setdefault(sid, spath)
            self.section_start.append((spath, index))
            questions = section.get("questions")
            if not isinstance(questions, list):
                continue
            for qi, raw in enumerate(questions):
                qpath: Path_ = (*spath, "questions", qi)
                qid = raw.get("id") if isinstance(raw, dict) else None
                try:
                    question = _QUESTION.validate_python(raw)
                except ValidationError:
                    if isinstance(qid, str):
                        self.known_broken.add(qid)
                        self.order.setdefault(qid, index)
                    index += 1
                    continue
                if question.id in self.order:
                    self.add((*qpath, "id"), f"duplicate question id '{question.id}'")
                else:
                    self.order[question.id] = index
                    self.items.append(_Item(qpath, question, index))
                index += 1
        self.questions = {i.question.id: i for i in self.items}

    # -- questions

    def _check_question(self, item: _Item) -> None:
        q, path = item.question, item.path
        if q.when is not None:
            self._condition((*path, "when"), q.when, before=item.index)
        for key in ("prompt", "help"):
            text = getattr(q, key)
            if isinstance(text, str):
                self._placeholders((*path, key), text, before=item.index)
        self._check_bounds(q, path)
        if isinstance(q, (ChoiceQuestion, MultiChoiceQuestion)):
            seen: set[tuple[type, Any]] = set()
            for ci, choice in enumerate(q.choices):
                marker = (type(choice.value), choice.value)
                if marker in seen:
                    self.add((*path, "choices", ci, "value"), f"duplicate choice '{choice.value}'")
                seen.add(marker)
                if choice.exclusive and isinstance(q, ChoiceQuestion):
                    self.add(
                        (*path, "choices", ci, "exclusive"),
                        "exclusive is for the choices of a multi_choice question",
                    )
        if isinstance(q, TextQuestion) and q.pattern is not None:
            found = pattern_problem(q.pattern)
            if found:
                self.add((*path, "pattern"), found)
                return  # a default cannot be matched against it
        if q.default is not None:
            self._check_default(item)

    def _check_bounds(self, q: AnyQuestion, path: Path_) -> None:
        low: Any = None
        high: Any = None
        low_key, high_key = "min", "max"
        match q:
            case IntegerQuestion() | NumberQuestion() | ScaleQuestion() | DateQuestion():
                low, high = q.min, q.max
            case MultiChoiceQuestion():
                low, high, low_key, high_key = (
                    q.min_selected,
                    q.max_selected,
                    "min_selected",
                    "max_selected",
                )
                if high is not None and high > len(q.choices):
                    self.add(
                        (*path, high_key),
                        f"max_selected {high} is more than the {len(q.choices)} choices",
                    )
            case TextQuestion() | LongTextQuestion():
                low, high = q.min_length, q.max_length
                low_key, high_key = "min_length", "max_length"
            case ChoiceQuestion() | YesNoQuestion():
                pass  # nothing to bound
            case _:
                assert_never(q)
        if low is not None and high is not None and low > high:
            self.add((*path, low_key), f"{low_key} {low} is greater than {high_key} {high}")
        if isinstance(q, ScaleQuestion):
            for label_value in q.labels:
                if not q.min <= label_value <= q.max:
                    self.add(
                        (*path, "labels", label_value),
                        f"label for {label_value} is outside the scale {q.min}-{q.max}",
                        key=True,
                    )

    def _check_default(self, item: _Item) -> None:
        from csintake.bank.validation import validate_answer

        q, path = item.question, item.path
        default = q.default
        if isinstance(default, str):
            self._placeholders((*path, "default"), default, before=item.index)
            try:
                if conditions.placeholders(default):
                    return  # its value is only known during the interview
            except ConditionError:
                return  # a bad brace, reported just above
        try:
            validate_answer(q, default)
        except AnswerError as exc:
            self.add((*path, "default"), f"default does not fit the question: {exc}")
        except ConditionError:
            return

    # -- conditions and placeholders

    def _condition(self, path: Path_, text: str, *, before: int | None) -> None:
        try:
            parsed = conditions.parse(text)
        except ConditionError as exc:
            self.add(path, exc.message, offset=exc.offset)
            return
        for name, offset in parsed.names:
            self._reference(path, name, offset, before, "condition")
        for comparison in parsed.comparisons:
            item = self.questions.get(comparison.name)
            question = item.question if item else None
            if not isinstance(question, (ChoiceQuestion, MultiChoiceQuestion)):
                continue
            allowed = [c.value for c in question.choices]
            for value in comparison.values:
                if value is None:
                    continue
                if not any(v == value and type(v) is type(value) for v in allowed):
                    shown = ", ".join(dict.fromkeys(repr(v) for v in allowed))
                    self.add(
                        path,
                        f"{value!r} is not a choice of '{comparison.name}' (choices: {shown})",
                        offset=comparison.offset,
                    )

    def _placeholders(self, path: Path_, text: str, *, before: int | None) -> None:
        try:
            names = conditions.placeholders(text)
        except ConditionError as exc:
            self.add(path, exc.message, offset=exc.offset)
            return
        for name, offset in names:
            if name == conditions.CLIENT and name not in self.order:
                continue  # the session's client, known from the start
            self._reference(path, name, offset, before, "placeholder")

    def _reference(
        self, path: Path_, name: str, offset: int, before: int | None, what: str
    ) -> None:
        if name in self.known_broken:
            return
        position = self.order.get(name)
        if position is None:
            self.add(path, f"{what} names unknown question '{name}'", offset=offset)
        elif before is not None and position >= before:
            self.add(path, f"{what} names '{name}', which is not asked before this", offset=offset)

    # -- brief

    def _check_brief(self) -> None:
        brief = self.data.get("brief")
        if not isinstance(brief, dict):
            return
        title = brief.get("title")
        if isinstance(title, str):
            self._placeholders(("brief", "title"), title, before=None)
        for key in ("scope", "time_budget"):
            qid = brief.get(key)
            if isinstance(qid, str) and qid not in self.order:
                self.add(("brief", key), f"{key} names unknown question '{qid}'")
        budget = brief.get("time_budget")
        item = self.questions.get(budget) if isinstance(budget, str) else None
        if item is not None:
            q = item.question
            minutes = isinstance(q, IntegerQuestion) or (
                isinstance(q, ChoiceQuestion)
                and all(isinstance(c.value, int) and c.value > 0 for c in q.choices)
            )
            if not minutes:
                self.add(
                    ("brief", "time_budget"),
                    f"time_budget '{budget}' must be an integer question or a choice whose"
                    " values are whole minutes",
                )
        strands = brief.get("strands")
        if isinstance(strands, dict):
            for name, when in strands.items():
                self.strands.add(str(name))
                if isinstance(when, str):
                    self._condition(("brief", "strands", name), when, before=None)
        self._check_entries("modules", Module, brief)
        self._check_entries("flags", Flag, brief)
        self._check_proposal(brief)

    def _check_proposal(self, brief: dict[str, Any]) -> None:
        """The keys that make the brief a proposal (shape is pydantic's; references here)."""
        problem = brief.get("problem")
        for i, text in enumerate(problem if isinstance(problem, list) else []):
            if isinstance(text, str):
                self._placeholders(("brief", "problem", i), text, before=None)
        wanted = {"sponsor": None, "participants": IntegerQuestion, "stays_open": YesNoQuestion}
        for key, kind in wanted.items():
            qid = brief.get(key)
            if not isinstance(qid, str) or qid in self.known_broken:
                continue
            item = self.questions.get(qid)
            if item is None:
                self.add(("brief", key), f"{key} names unknown question '{qid}'")
            elif kind is not None and not isinstance(item.question, kind):
                what = "an integer" if kind is IntegerQuestion else "a yes_no"
                self.add(("brief", key), f"{key} '{qid}' must be {what} question")
        if brief.get("group_max") is not None and not isinstance(brief.get("participants"), str):
            self.add(
                ("brief", "group_max"),
                "group_max needs brief.participants, the question that counts participants",
            )
        for key in ("assumptions", "approvals"):
            entries = brief.get(key)
            for i, raw in enumerate(entries if isinstance(entries, list) else []):
                if not isinstance(raw, dict):
                    continue
                if isinstance(raw.get("text"), str):
                    self._placeholders(("brief", key, i, "text"), raw["text"], before=None)
                if isinstance(raw.get("when"), str):
                    self._condition(("brief", key, i, "when"), raw["when"], before=None)
        flags = brief.get("flags")
        for i, raw in enumerate(flags if isinstance(flags, list) else []):
            if not isinstance(raw, dict):
                continue
            if isinstance(raw.get("owner"), str):
                self._placeholders(("brief", "flags", i, "owner"), raw["owner"], before=None)
            elif raw.get("kind") == "decision" and "owner" not in raw:
                self.add(
                    ("brief", "flags", i, "kind"),
                    "a decision flag names its owner (owner: director, board, ...)",
                )
        self._check_evaluation(brief)

    def _check_module(self, path: Path_, module: Module) -> None:
        """A module's second-round keys: strand, short, priority_when, objectives."""
        if module.strand is not None and module.strand not in self.strands:
            known = ", ".join(sorted(self.strands)) or "none"
            self.add(
                (*path, "strand"),
                f"strand '{module.strand}' is not in brief.strands (strands: {known})",
            )
        if module.short is not None and module.short.minutes >= module.minutes:
            self.add(
                (*path, "short", "minutes"),
                f"the short variant ({module.short.minutes} minutes) must be shorter than"
                f" the module ({module.minutes} minutes)",
            )
        if module.short is not None and module.short.summary:
            self._placeholders((*path, "short", "summary"), module.short.summary, before=None)
        for i, rule in enumerate(module.priority_when):
            self._condition((*path, "priority_when", i, "when"), rule.when, before=None)
        for i, objective in enumerate(module.objectives):
            self._placeholders((*path, "objectives", i), objective, before=None)

    def _check_evaluation(self, brief: dict[str, Any]) -> None:
        entries = brief.get("evaluation")
        if not isinstance(entries, list):
            return
        for i, raw in enumerate(entries):
            path: Path_ = ("brief", "evaluation", i)
            try:
                entry = Evaluation.model_validate(raw)
            except ValidationError:
                continue
            if entry.when is not None:
                self._condition((*path, "when"), entry.when, before=None)
            for key in ("level", "timing", "measure"):
                self._placeholders((*path, key), getattr(entry, key), before=None)

    def _check_entries(
        self, key: str, model: type[Module] | type[Flag], brief: dict[str, Any]
    ) -> None:
        entries = brief.get(key)
        if not isinstance(entries, list):
            return
        seen: set[str] = set()
        for i, raw in enumerate(entries):
            path: Path_ = ("brief", key, i)
            try:
                entry = model.model_validate(raw)
            except ValidationError:
                continue
            if entry.id in seen:
                self.add((*path, "id"), f"duplicate {key[:-1]} id '{entry.id}'")
            seen.add(entry.id)
            if entry.when is not None:
                self._condition((*path, "when"), entry.when, before=None)
            if isinstance(entry, Module):
                self._check_module(path, entry)
            for text_key in ("title", "summary", "message", "reason"):
                text = getattr(entry, text_key, None)
                if isinstance(text, str):
                    self._placeholders((*path, text_key), text, before=None)

    # -- migrations

    def _check_migrations(self) -> None:
        """Renames land on questions the bank has, mapped values on their choices."""
        migrations = self.data.get("migrations")
        if not isinstance(migrations, list):
            return
        version = self.data.get("version")
        seen: set[str] = set()
        for i, raw in enumerate(migrations):
            path: Path_ = ("migrations", i)
            if not isinstance(raw, dict):
                continue
            source = raw.get("from")
            if isinstance(source, (str, int, float)) and not isinstance(source, bool):
                if str(source) == str(version):
                    self.add((*path, "from"), f"a migration from '{source}' is this version")
                elif str(source) in seen:
                    self.add((*path, "from"), f"duplicate migration from '{source}'")
                seen.add(str(source))
            rename = raw.get("rename")
            for old, new in (rename if isinstance(rename, dict) else {}).items():
                if isinstance(new, str) and new not in self.order:
                    self.add((*path, "rename", old), f"rename names unknown question '{new}'")
                if isinstance(old, str) and old in self.order and old != new:
                    self.add(
                        (*path, "rename", old),
                        f"'{old}' is still a question of this bank: it cannot be renamed",
                        key=True,
                    )
            values = raw.get("values")
            for qid, mapping in (values if isinstance(values, dict) else {}).items():
                self._check_mapping((*path, "values", qid), qid, mapping)

    def _check_mapping(self, path: Path_, qid: Any, mapping: Any) -> None:
        item = self.questions.get(qid) if isinstance(qid, str) else None
        if item is None:
            if qid not in self.known_broken:
                self.add(path, f"values names unknown question '{qid}'", key=True)
            return
        question = item.question
        if not isinstance(question, (ChoiceQuestion, MultiChoiceQuestion)):
            self.add(path, f"values can only map choice answers; '{qid}' is not a choice", key=True)
            return
        allowed = [c.value for c in question.choices]
        for old, new in (mapping if isinstance(mapping, dict) else {}).items():
            if not any(v == new and type(v) is type(new) for v in allowed):
                self.add((*path, old), f"{new!r} is not a choice of '{qid}'")
