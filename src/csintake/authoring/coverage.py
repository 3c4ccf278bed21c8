"""Coverage of a bank: can every question be asked, every module kept, every flag raised?

For each item the search tries sets of answers and runs them through the interview engine and
the brief builder, so "relevant" and "kept under the budget" mean exactly what an interview
and its brief mean. Each item's search covers only the questions its conditions read (and the
questions that decide whether those are asked, and the time budget for modules); every other
question gets one fixed, valid filler answer.

Candidate answers per question: every choice, yes and no, every point of a small scale, and
for integers, numbers and dates the bounds of the question and each value the conditions
compare it with, with its neighbours. Multi-choice answers are each mentioned value alone,
all mentioned values, and every choice. A search larger than ``bound`` sets of answers stops
there and says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, assert_never

from csintake.bank.loader import LoadedBank
from csintake.bank.model import (
    AnyQuestion,
    ChoiceQuestion,
    DateQuestion,
    IntegerQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    ScaleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from csintake.bank.validation import validate_answer
from csintake.brief.builder import Brief, build_brief
from csintake.errors import AnswerError, Problem
from csintake.files.yamlfile import Located, Path_
from csintake.interview.engine import Interview
from csintake.store.session import BankRef, Session

Kind = Literal["question", "module", "flag"]
KINDS: tuple[Kind, ...] = ("question", "module", "flag")
DEFAULT_BOUND = 2000
# A scale wider than this is searched at its ends and at the values conditions name.
_SMALL_SCALE = 11
_FILLER_TEXT = "Example answer"
_FIXED_DATE = dt.date(2026, 1, 1)
_OMIT = object()  # a question left unanswered in a candidate set of answers
_RELEVANT = "?relevant"  # the id suffix of a module's "is it ever relevant" target


@dataclass(frozen=True)
class Item:
    """One question, module or flag, and whether (and how) some answers reach it."""

    kind: Kind
    id: str
    reached: bool
    witness: dict[str, Any] | None
    # The answers that matter for this item (what its conditions read), for display.
    key: dict[str, Any]
    tried: int
    combinations: int
    problem: Problem | None = None

    @property
    def bounded(self) -> bool:
        """Not reached, and the search stopped at its bound before trying every candidate."""
        return not self.reached and self.tried < self.combinations


@dataclass(frozen=True)
class Coverage:
    bank_id: str
    bank_version: str
    file: str
    bound: int
    items: tuple[Item, ...]
    # Problems not tied to one item (a section that is never shown).
    extra: tuple[Problem, ...] = ()
    evaluations: int = 0

    @property
    def problems(self) -> list[Problem]:
        found = [i.problem for i in self.items if i.problem is not None]
        return sorted([*found, *self.extra], key=lambda p: (p.line, p.column, p.message))

    @property
    def bounded(self) -> bool:
        return any(i.bounded for i in self.items)

    def of(self, kind: Kind) -> list[Item]:
        return [i for i in self.items if i.kind == kind]


# --------------------------------------------------------------------------- candidates


def _literals(loaded: LoadedBank) -> dict[str, list[Any]]:
    """Every literal each question is compared with in any condition, in bank order."""
    bank = loaded.bank
    texts = [s.when for s in bank.sections if s.when]
    texts += [q.when for q in bank.questions if q.when]
    texts += [m.when for m in bank.brief.modules if m.when]
    texts += [f.when for f in bank.brief.flags]
    found: dict[str, list[Any]] = {}
    for text in texts:
        for comparison in loaded.condition(text).comparisons:
            values = found.setdefault(comparison.name, [])
            values.extend(v for v in comparison.values if v not in values)
    return found


def _numbers(low: float | None, high: float | None, literals: list[Any], step: float) -> list[Any]:
    points: list[float] = []
    for v in literals:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            points.extend((v - step, v, v + step))
    points.extend(p for p in (low, high) if p is not None)
    if not points:
        points.append(1 if low is None else low)
    inside = [p for p in points if (low is None or p >= low) and (high is None or p <= high)]
    return sorted(set(inside))


def _dates(q: DateQuestion, literals: list[Any]) -> list[Any]:
    points: list[dt.date] = []
    for v in literals:
        try:
            day = dt.date.fromisoformat(v) if isinstance(v, str) else None
        except ValueError:
            day = None
        if day is not None:
            points.extend((day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)))
    points.extend(p for p in (q.min, q.max) if p is not None)
    if not points:
        points.append(_FIXED_DATE)
    # `days_until` and `days_since` count from the rehearsed session's day (today): a month
    # either side reaches a condition such as "less than eight weeks away".
    today = dt.date.today()
    points.extend((today - dt.timedelta(days=30), today + dt.timedelta(days=30)))
    inside = [p for p in points if (q.min is None or p >= q.min) and (q.max is None or p <= q.max)]
    return [d.isoformat() for d in sorted(set(inside))]


def _texts(q: TextQuestion | LongTextQuestion, literals: list[Any]) -> list[Any]:
    low = q.min_length or 1
    filler = (_FILLER_TEXT * (1 + low // len(_FILLER_TEXT)))[: max(low, len(_FILLER_TEXT))]
    if q.max_length is not None:
        filler = filler[: q.max_length]
    return [filler, *(v for v in literals if isinstance(v, str))]


def _multi(q: MultiChoiceQuestion, literals: list[Any]) -> list[Any]:
    values = [c.value for c in q.choices]
    named = [v for v in values if v in literals] or values[:1]
    sets: list[list[Any]] = [[]]
    sets.extend([v] for v in named)
    sets.extend((named, values))
    unique: list[list[Any]] = []
    for s in sets:
        if s not in unique:
            unique.append(s)
    return unique


def candidates(q: AnyQuestion, literals: list[Any], budget_top: int) -> list[Any]:
    """The answers tried for ``q``, each valid for it; ``_OMIT`` (no answer) when optional."""
    raw: list[Any]
    match q:
        case ChoiceQuestion():
            raw = [c.value for c in q.choices]
        case YesNoQuestion():
            raw = [True, False]
        case ScaleQuestion():
            if q.max - q.min < _SMALL_SCALE:
                raw = list(range(q.min, q.max + 1))
            else:
                raw = _numbers(q.min, q.max, literals, 1)
        case IntegerQuestion():
            raw = [int(v) for v in _numbers(q.min, q.max, literals, 1)]
            if q.max is None:
                raw.append(max(budget_top, *raw))
        case NumberQuestion():
            raw = _numbers(q.min, q.max, literals, 0.5)
        case DateQuestion():
            raw = _dates(q, literals)
        case MultiChoiceQuestion():
            raw = _multi(q, literals)
        case TextQuestion() | LongTextQuestion():
            raw = _texts(q, literals)
        case _:
            assert_never(q)
    valid: list[Any] = []
    for value in raw:
        try:
            checked = validate_answer(q, value)
        except AnswerError:
            continue
        if checked not in valid:
            valid.append(checked)
    if not q.required:
        valid.append(_OMIT)
    return valid


# ------------------------------------------------------------------------------ search


Check = Callable[[Interview, Brief], bool]


@dataclass
class _Target:
    kind: Kind
    id: str
    needs: list[str]
    holds: Check
    found: dict[str, Any] | None = None
    tried: int = 0
    combinations: int = 0


@dataclass
class _Search:
    loaded: LoadedBank
    bound: int
    domains: dict[str, list[Any]] = field(default_factory=dict)
    fillers: dict[str, Any] = field(default_factory=dict)
    seen: set[tuple[Any, ...]] = field(default_factory=set)
    evaluations: int = 0

    def __post_init__(self) -> None:
        bank = self.loaded.bank
        literals = _literals(self.loaded)
        top = sum(m.minutes for m in bank.brief.modules) or 1
        for q in bank.questions:
            domain = candidates(q, literals.get(q.id, []), top)
            self.domains[q.id] = domain
            self.fillers[q.id] = domain[0] if q.required and domain else _OMIT

    def needs(self, names: list[str]) -> list[str]:
        """``names`` and, recursively, the questions that decide whether each is asked."""
        bank = self.loaded.bank
        found: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name in found or name not in bank.question_map:
                continue
            found.add(name)
            q = bank.question_map[name]
            for text in (bank.section_of[name].when, q.when):
                if text:
                    todo.extend(n for n, _ in self.loaded.condition(text).names)
        return sorted(found, key=bank.order.__getitem__)

    def answers(self, choice: Mapping[str, Any]) -> dict[str, Any]:
        merged = {**self.fillers, **choice}
        return {k: v for k, v in merged.items() if v is not _OMIT}

    def evaluate(self, answers: dict[str, Any], targets: list[_Target]) -> None:
        """Run ``answers`` through the engine and the brief; record every target it reaches."""
        marker = tuple(sorted((k, repr(v)) for k, v in answers.items()))
        if marker in self.seen:
            return
        self.seen.add(marker)
        self.evaluations += 1
        interview = rehearse(self.loaded, answers)
        brief = build_brief(interview, date=_FIXED_DATE)
        for target in targets:
            if target.found is None and target.holds(interview, brief):
                target.found = dict(answers)

    def run(self, target: _Target, targets: list[_Target]) -> None:
        domains = [self.domains[n] for n in target.needs]
        target.combinations = math.prod(len(d) for d in domains)
        for values in itertools.islice(itertools.product(*domains), self.bound):
            if target.found is not None:
                return
            target.tried += 1
            self.evaluate(self.answers(dict(zip(target.needs, values, strict=True))), targets)


def rehearse(loaded: LoadedBank, answers: Mapping[str, Any]) -> Interview:
    """An interview held in memory only, answered as ``interview --answers --no-input`` does."""
    bank = loaded.bank
    ref = BankRef(id=bank.id, version=bank.version, sha256=loaded.sha256, path=str(loaded.path))
    session = Session(id="coverage", bank=ref, client="Coverage")
    interview = Interview(loaded, session)
    interview.apply(answers, "file")
    interview.apply_defaults()
    return interview


def _names(loaded: LoadedBank, text: str | None) -> list[str]:
    return [n for n, _ in loaded.condition(text).names] if text else []


def _asked(qid: str) -> Check:
    return lambda iv, _b: iv.is_relevant(qid)


def _holds(loaded: LoadedBank, when: str | None) -> Check:
    return lambda iv, _b: when is None or loaded.condition(when).evaluate(iv.answers)


def _kept(mid: str, needs_budget: bool) -> Check:
    # With a time budget in the bank, "kept" means kept under an answered budget.
    return lambda _iv, b: (
        (b.agenda.budget_minutes is not None or not needs_budget)
        and any(k.id == mid for k in b.agenda.modules)
    )


def _raised(fid: str) -> Check:
    return lambda _iv, b: any(r.id == fid for r in b.flags)


def _targets(search: _Search) -> list[_Target]:
    loaded = search.loaded
    bank = loaded.bank
    budget = [bank.brief.time_budget] if bank.brief.time_budget else []
    targets: list[_Target] = []
    for section, q in bank.walk():
        needs = search.needs(_names(loaded, section.when) + _names(loaded, q.when))
        targets.append(_Target("question", q.id, needs, _asked(q.id)))
    for m in bank.brief.modules:
        # Relevant first (its condition holds), then kept: the two fail for different reasons.
        needs = search.needs(_names(loaded, m.when))
        targets.append(_Target("module", m.id + _RELEVANT, needs, _holds(loaded, m.when)))
        needs = search.needs(_names(loaded, m.when) + budget)
        targets.append(_Target("module", m.id, needs, _kept(m.id, bool(budget))))
    for f in bank.brief.flags:
        needs = search.needs(_names(loaded, f.when))
        targets.append(_Target("flag", f.id, needs, _raised(f.id)))
    return targets


def coverage(loaded: LoadedBank, doc: Located, bound: int = DEFAULT_BOUND) -> Coverage:
    """Search ``loaded`` (``doc`` is the same file, for positions) for a witness of each item."""
    search = _Search(loaded, max(bound, 1))
    targets = _targets(search)
    for target in targets:
        search.run(target, targets)
    # A relevant module that was never kept may have been crowded out by modules that the
    # fixed answers made relevant: search again over what decides those modules too.
    rivals = search.needs([n for m in loaded.bank.brief.modules for n in _names(loaded, m.when)])
    for target in targets:
        relevant = target.kind == "module" and not target.id.endswith(_RELEVANT)
        if relevant and target.found is None:
            target.needs = [*target.needs, *(n for n in rivals if n not in target.needs)]
            target.tried = 0
            search.run(target, targets)
    return _report(search, targets, doc)


# ------------------------------------------------------------------------------ report


def _report(search: _Search, targets: list[_Target], doc: Located) -> Coverage:
    bank = search.loaded.bank
    by_id = {(t.kind, t.id): t for t in targets}
    paths = _paths(search.loaded)
    items: list[Item] = []
    extra: list[Problem] = []
    dead_sections: set[str] = set()
    for si, section in enumerate(bank.sections):
        asked = [by_id["question", q.id].found is not None for q in section.questions]
        if section.when and section.questions and not any(asked):
            dead_sections.add(section.id)
            first = by_id["question", section.questions[0].id]
            extra.append(
                doc.problem(
                    ("sections", si, "when"),
                    f"section '{section.id}' is never shown: its condition can never hold"
                    + _bound_note(first),
                )
            )
    for target in targets:
        if target.id.endswith(_RELEVANT):
            continue
        problem = None
        if target.found is None:
            problem = _problem(search, target, by_id, paths, doc, dead_sections)
        key = {}
        if target.found is not None:
            # What the item's conditions read, and whatever differs from the fixed answers.
            found = target.found
            key = {
                n: v
                for n, v in found.items()
                if n in target.needs or search.fillers.get(n, _OMIT) != v
            }
            key = {n: key[n] for n in sorted(key, key=bank.order.__getitem__)}
        items.append(
            Item(
                target.kind,
                target.id,
                target.found is not None,
                target.found,
                key,
                target.tried,
                target.combinations,
                problem,
            )
        )
    return Coverage(
        bank.id,
        bank.version,
        doc.file,
        search.bound,
        tuple(items),
        tuple(extra),
        search.evaluations,
    )


def _bound_note(target: _Target) -> str:
    if target.found is None and target.tried < target.combinations:
        return (
            f" (searched {target.tried} of {target.combinations} sets of answers:"
            " the search was bounded)"
        )
    return ""


def _problem(
    search: _Search,
    target: _Target,
    by_id: dict[tuple[Kind, str], _Target],
    paths: dict[tuple[Kind, str], Path_],
    doc: Located,
    dead_sections: set[str],
) -> Problem | None:
    bank = search.loaded.bank
    note = _bound_note(target)
    path = paths[target.kind, target.id]
    if target.kind == "question":
        if bank.section_of[target.id].id in dead_sections:
            return None  # reported once, for its section
        return doc.problem(
            (*path, "when"),
            f"question '{target.id}' is never asked: its condition can never hold{note}",
        )
    if target.kind == "flag":
        return doc.problem(
            (*path, "when"),
            f"flag '{target.id}' can never be raised: its condition can never hold{note}",
        )
    relevant = by_id["module", target.id + _RELEVANT]
    if relevant.found is None:
        return doc.problem(
            (*path, "when"),
            f"module '{target.id}' is never relevant: its condition can never hold"
            + _bound_note(relevant),
        )
    module = next(m for m in bank.brief.modules if m.id == target.id)
    return doc.problem(
        (*path, "minutes"),
        f"module '{target.id}' ({module.minutes} minutes) is kept under no budget"
        f" that can be answered{_budget_note(search)}{note}",
    )


def _budget_note(search: _Search) -> str:
    bank = search.loaded.bank
    qid = bank.brief.time_budget
    if qid is None:
        return ""
    numbers = [v for v in search.domains.get(qid, []) if isinstance(v, int)]
    return f" (the most '{qid}' allows is {max(numbers)})" if numbers else ""


def _paths(loaded: LoadedBank) -> dict[tuple[Kind, str], Path_]:
    bank = loaded.bank
    paths: dict[tuple[Kind, str], Path_] = {}
    for si, section in enumerate(bank.sections):
        for qi, q in enumerate(section.questions):
            paths["question", q.id] = ("sections", si, "questions", qi)
    for i, m in enumerate(bank.brief.modules):
        paths["module", m.id] = ("brief", "modules", i)
    for i, f in enumerate(bank.brief.flags):
        paths["flag", f.id] = ("brief", "flags", i)
    return paths


def witnesses(report: Coverage) -> Iterator[tuple[Item, dict[str, Any]]]:
    """Each reached item with its witness answers."""
    for item in report.items:
        if item.witness is not None:
            yield item, item.witness


def as_data(report: Coverage) -> dict[str, Any]:
    """The report as JSON-ready data."""

    def entry(item: Item) -> dict[str, Any]:
        return {
            "id": item.id,
            "reachable": item.reached,
            "because": item.key,
            "witness": item.witness,
            "tried": item.tried,
            "combinations": item.combinations,
            "bounded": item.bounded,
        }

    return {
        "bank": {"id": report.bank_id, "version": report.bank_version, "path": report.file},
        "search": {
            "bound": report.bound,
            "bounded": report.bounded,
            "evaluations": report.evaluations,
        },
        "questions": [entry(i) for i in report.of("question")],
        "modules": [entry(i) for i in report.of("module")],
        "flags": [entry(i) for i in report.of("flag")],
        "problems": [str(p) for p in report.problems],
    }


def summary_lines(report: Coverage) -> list[str]:
    """The report as plain lines: one per item with the answers that reach it, then totals."""
    from csintake.brief.builder import raw_value
    from csintake.printable import one_line

    out = [one_line(f"{report.file}: coverage of {report.bank_id} {report.bank_version}")]
    plural = {"question": "questions", "module": "modules", "flag": "flags"}
    verbs = {"question": "asked", "module": "kept", "flag": "raised"}
    for kind in KINDS:
        items = report.of(kind)
        for item in items:
            if item.reached:
                because = ", ".join(f"{k} = {raw_value(v)}" for k, v in item.key.items())
                detail = f"when {because}" if because else "always"
            else:
                detail = "NEVER"
            out.append(one_line(f"  {kind} {item.id}: {verbs[kind]} {detail}"))
    out.append("")
    for kind in KINDS:
        items = report.of(kind)
        reached = sum(i.reached for i in items)
        out.append(f"{plural[kind]}: {reached} of {len(items)} {verbs[kind]} by some answers")
    searched = f"{report.evaluations} sets of answers run through the brief"
    if report.bounded:
        bounded = sum(i.bounded for i in report.items)
        out.append(
            f"search: {searched}; bounded at {report.bound} sets per item:"
            f" {bounded} unreached items were not searched through"
        )
    elif report.problems:
        out.append(f"search: {searched}; every unreached item was searched through")
    else:
        out.append(f"search: {searched}; every item was reached")
    return out
