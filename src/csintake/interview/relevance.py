"""What is relevant under the current answers, kept up to date answer by answer.

A ``when`` is evaluated over the answers that count (relevant, valid, not skipped) of the
questions *before* it in bank order; a name at or after it reads as null. So the bank is a
graph whose edges run forward only: from a question to the later sections and questions whose
condition names it. A change to one answer re-evaluates only the conditions that read it, then
those that read a question whose relevance that flipped, in bank order, so that each condition
is evaluated at most once per change and the result equals evaluating everything afresh.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Collection, Iterator, Mapping
from itertools import compress
from typing import Any

from csintake.bank.conditions import Condition
from csintake.bank.loader import LoadedBank
from csintake.bank.model import AnyQuestion

# The kinds of work at one bank position, in the order they must happen there: a section's
# condition, then the question's own condition, then the question's counted answer.
_SECTION, _QUESTION, _ANSWER = 0, 1, 2
_ABSENT = object()


class _Before(Mapping[str, Any]):
    """The counted answers as a condition at ``limit`` sees them: later questions are null."""

    def __init__(self, answers: Mapping[str, Any], order: Mapping[str, int], limit: int) -> None:
        self._answers = answers
        self._order = order
        self._limit = limit

    def __getitem__(self, key: str) -> Any:
        if self._order.get(key, self._limit) >= self._limit:
            raise KeyError(key)
        return self._answers[key]

    def __iter__(self) -> Iterator[str]:
        return (k for k in self._answers if self._order[k] < self._limit)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Graph:
    """What a bank's conditions read: built once per bank, shared by its interviews."""

    def __init__(self, loaded: LoadedBank) -> None:
        self.questions: list[AnyQuestion] = [q for s in loaded.bank.sections for q in s.questions]
        self.order: dict[str, int] = {q.id: i for i, q in enumerate(self.questions)}
        self.section_of: list[int] = []
        self.members: list[range] = []
        self.section_when: list[Condition | None] = []
        start = 0
        for index, section in enumerate(loaded.bank.sections):
            count = len(section.questions)
            self.section_of.extend([index] * count)
            self.members.append(range(start, start + count))
            self.section_when.append(loaded.condition(section.when) if section.when else None)
            start += count
        self.when: list[Condition | None] = [
            loaded.condition(q.when) if q.when else None for q in self.questions
        ]
        # Which work items read each question id: only items after the question, since a
        # condition never sees a later answer.
        self.readers: dict[str, list[tuple[int, int, int]]] = {}
        self.forward: set[tuple[int, int, int]] = set()
        for index, cond in enumerate(self.section_when):
            if cond is not None and self.members[index]:
                self._link((self.members[index].start, _SECTION, index), cond)
        for pos, cond in enumerate(self.when):
            if cond is not None:
                self._link((pos, _QUESTION, pos), cond)

    def _link(self, item: tuple[int, int, int], cond: Condition) -> None:
        limit = item[0]
        for name, _ in cond.names:
            at = self.order.get(name)
            if at is None or at >= limit:
                self.forward.add(item)
            elif item not in self.readers.setdefault(name, []):
                self.readers[name].append(item)


# The graphs of the banks loaded in this process, each with its bank kept alive (so that
# its id is not reused); a process loads a handful of banks, so a few are kept.
_GRAPHS: dict[int, tuple[LoadedBank, _Graph]] = {}
_KEPT = 16


def _graph(loaded: LoadedBank) -> _Graph:
    found = _GRAPHS.get(id(loaded))
    if found is None or found[0] is not loaded:
        if len(_GRAPHS) >= _KEPT:
            _GRAPHS.clear()
        found = _GRAPHS[id(loaded)] = (loaded, _Graph(loaded))
    return found[1]


class Relevance:
    """Relevant questions and counted answers of one interview, updated per changed question."""

    def __init__(self, loaded: LoadedBank) -> None:
        graph = self._graph = _graph(loaded)
        self.questions = graph.questions
        self.order = graph.order
        self._section_of = graph.section_of
        self._members = graph.members
        self._section_when = graph.section_when
        self._when = graph.when
        self._readers = graph.readers
        self._forward = graph.forward
        n = len(self.questions)
        self._section_ok = [True] * len(self._members)
        self._own_ok = [True] * n
        self._relevant = [False] * n
        self.counted: dict[str, Any] = {}
        self._list: list[AnyQuestion] | None = None
        self._positions: list[int] | None = None  # bank positions of the relevant ones
        self._ordered: dict[str, Any] | None = None
        self._dirty: set[str] | None = None  # None: everything

    # --------------------------------------------------------------------------- changes

    def reset(self) -> None:
        """Everything may have changed: the next refresh evaluates every condition."""
        self._dirty = None

    def touch(self, qid: str) -> None:
        """The stored answer or the skip of ``qid`` changed."""
        if self._dirty is not None:
            self._dirty.add(qid)

    def refresh(self, valid: Mapping[str, Any], skipped: Collection[str]) -> None:
        """Bring relevance up to date with the valid answers and the skipped ids."""
        if self._dirty is None:
            self._full(valid, set(skipped))
            self._dirty = set()
        elif self._dirty:
            self._incremental(valid, skipped)
            self._dirty.clear()

    def _evaluate(self, item: tuple[int, int, int], cond: Condition) -> bool:
        if item in self._forward:
            return cond.evaluate(_Before(self.counted, self.order, item[0]))
        return cond.evaluate(self.counted)

    def _full(self, valid: Mapping[str, Any], skipped: Collection[str]) -> None:
        self.counted = {}
        for index, members in enumerate(self._members):
            cond = self._section_when[index]
            if members:
                item = (members.start, _SECTION, index)
                self._section_ok[index] = cond is None or self._evaluate(item, cond)
            for pos in members:
                own = self._when[pos]
                self._own_ok[pos] = own is None or self._evaluate((pos, _QUESTION, pos), own)
                self._relevant[pos] = self._section_ok[index] and self._own_ok[pos]
                self._count(pos, valid, skipped)
        self._changed_list()

    def _count(self, pos: int, valid: Mapping[str, Any], skipped: Collection[str]) -> bool:
        """Set the counted answer of the question at ``pos``; whether it changed."""
        qid = self.questions[pos].id
        old = self.counted.get(qid, _ABSENT)
        new = valid.get(qid, _ABSENT) if self._relevant[pos] and qid not in skipped else _ABSENT
        if new is old:
            return False
        if new is _ABSENT:
            del self.counted[qid]
        else:
            self.counted[qid] = new
        self._ordered = None
        return True

    def _incremental(self, valid: Mapping[str, Any], skipped: Collection[str]) -> None:
        assert self._dirty is not None
        queue = [(self.order[q], _ANSWER, self.order[q]) for q in self._dirty if q in self.order]
        heapq.heapify(queue)
        queued = set(queue)
        while queue:
            item = heapq.heappop(queue)
            pos, kind, index = item
            flipped: list[int] = []
            if kind == _ANSWER:
                if self._count(pos, valid, skipped):
                    for reader in self._readers.get(self.questions[pos].id, ()):
                        if reader not in queued:
                            queued.add(reader)
                            heapq.heappush(queue, reader)
                continue
            if kind == _SECTION:
                cond = self._section_when[index]
                assert cond is not None
                ok = self._evaluate(item, cond)
                if ok == self._section_ok[index]:
                    continue
                self._section_ok[index] = ok
                members: range | tuple[int, ...] = self._members[index]
            else:
                cond = self._when[pos]
                assert cond is not None
                self._own_ok[pos] = self._evaluate(item, cond)
                members = (pos,)
            for member in members:
                now = self._section_ok[self._section_of[member]] and self._own_ok[member]
                if now != self._relevant[member]:
                    self._relevant[member] = now
                    flipped.append(member)
            if flipped:
                self._changed_list()
            for member in flipped:
                follow = (member, _ANSWER, member)
                if follow not in queued:
                    queued.add(follow)
                    heapq.heappush(queue, follow)

    def _changed_list(self) -> None:
        self._list = None
        self._positions = None
        self._ordered = None

    # --------------------------------------------------------------------------- reading

    @property
    def relevant(self) -> list[AnyQuestion]:
        """The relevant questions in bank order (rebuilt only when relevance flipped)."""
        if self._list is None:
            self._list = list(compress(self.questions, self._relevant))
        return self._list

    def index(self, qid: str) -> int | None:
        """Where ``qid`` stands among the relevant questions (0-based), None if not relevant."""
        pos = self.order.get(qid)
        if pos is None or not self._relevant[pos]:
            return None
        if self._positions is None:
            self._positions = list(compress(range(len(self.questions)), self._relevant))
        return bisect_left(self._positions, pos)

    @property
    def ordered(self) -> dict[str, Any]:
        """The counted answers in bank order."""
        if self._ordered is None:
            counted = self.counted
            self._ordered = {q.id: counted[q.id] for q in self.relevant if q.id in counted}
        return self._ordered
