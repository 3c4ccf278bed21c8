"""Answer-to-next-question latency of the interview engine on a 500-question bank.

    python bench/engine_latency.py [--questions N] [--revisions N]

Each sample is what happens between the consultant pressing Enter and the next question
being ready: the answer is validated and stored, the session is written through
``Store.save`` (temporary file, fsync, rename, fsync of the folder), relevance is evaluated
again under every ``when`` and the next question with its position is found. The first pass
answers every relevant question; then earlier answers are revised, which changes what is
relevant further on. Targets: median under 20 ms, and at most 3x the reference: one fsynced
atomic write of the session file as it is, timed right after each sample, so that both see
the same machine (run with ``--questions 500``, ``2000`` and ``5000``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from csintake.bank.loader import load_bank
from csintake.files.atomic import write_atomic
from csintake.interview.engine import Interview
from csintake.interview.intake import bank_ref
from csintake.store.store import Store
from data import answer_for, make_bank

TARGET_MS = 20.0
# The answer, its save and the next question within this many fsynced writes of the file.
TARGET_RATIO = 3.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--revisions", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        loaded = load_bank(make_bank(root / "bank.yaml", args.questions))
        kinds = {q.id: q.type for q in loaded.bank.questions}
        store = Store(root / "store")
        session = store.create("Bench Library", bank_ref(loaded))
        interview = Interview(loaded, session, store.save)
        samples: list[float] = []
        writes: list[float] = []
        target = root / "store" / "reference.yaml"

        def reference() -> None:
            # One fsynced write of the file as it is now, right after the sample, so that
            # both see the same machine.
            text = store.path(session.id).read_text(encoding="utf-8")
            start = time.perf_counter()
            write_atomic(target, text)
            writes.append(time.perf_counter() - start)

        question = interview.start()
        n = 0
        while question is not None:
            value = answer_for(kinds[question.id], n)
            start = time.perf_counter()
            interview.answer(value)
            question = interview.current
            if question is not None:
                interview.position(question.id)
            samples.append(time.perf_counter() - start)
            reference()
            n += 1
        first_pass = len(samples)
        # Revise earlier answers (as from the review): conditions downstream change.
        revisable = [q for q in loaded.bank.questions if q.type in ("choice", "yes_no")]
        for i in range(args.revisions):
            q = revisable[i % len(revisable)]
            value = ("b" if i % 2 == 0 else "c") if q.type == "choice" else i % 2 == 0
            start = time.perf_counter()
            interview.answer(value, qid=q.id)
            current = interview.current
            if current is not None:
                interview.position(current.id)
            samples.append(time.perf_counter() - start)
            reference()
        size = store.path(session.id).stat().st_size
    median = statistics.median(samples) * 1000
    p95 = percentile(samples, 95) * 1000
    write_median = statistics.median(writes) * 1000
    verdict = "met" if median < TARGET_MS else "NOT met"
    ratio = median / write_median
    ratio_verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(
        f"{os.cpu_count()} cores; {args.questions}-question bank; {first_pass} answers, then "
        f"{args.revisions} revisions; session file {size / 1024:.0f} KiB"
    )
    print(
        f"answer to next question: median {median:.2f} ms, p95 {p95:.2f} ms "
        f"(target median < {TARGET_MS:.0f} ms: {verdict})"
    )
    print(
        f"reference, one fsynced atomic write of the session file after each sample "
        f"({size / 1024:.0f} KiB at the end): median {write_median:.2f} ms; engine median = "
        f"{ratio:.2f}x the write (target {TARGET_RATIO:.0f}x: {ratio_verdict})"
    )


if __name__ == "__main__":
    main()
