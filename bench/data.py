"""Data the benchmarks build for themselves: a large store of sessions written straight from a
text template (no YAML dumping, so 10,000 files take seconds), and a bank of many questions
with conditions."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
from pathlib import Path

SHIPPED_BANK = Path(__file__).resolve().parents[1] / "questions" / "library-customer-service.yaml"

_SESSION = """\
format: csintake/session@1
id: {id}
bank:
  id: library-customer-service
  version: 1.0.0
  sha256: {sha}
  path: {bank_path}
client: {client}
status: {status}
created: '{created}'
updated: '{updated}'
answers:
  library_name: {client}
  prompted_by: |-
    A run of complaints at the main desk after the new hold rules,
    and a strategic plan that names "welcoming service" as its first goal.
{meaning}  main_cause: {cause}
  mission_vision: |-
    Mission: to connect every resident with ideas, information and each other.
    Vision: a library where everyone feels welcome.
{goals}  service_standards: false
  participants: {participants}
  roles: [circulation, reference, youth, supervisors]
  branches: {branches}
  attendance: {attendance}
  prior_training: false
  staff_attitude: {attitude}
  supervisors_reinforce: {reinforce}
  problem_channels: [desk, {channel}]
  rate_greeting: 3
  rate_listening: 3
  rate_explaining: 2
  rate_upset: 2
  rate_consistency: 2
  rate_follow_up: 3
  difficult_situations: [complaints, {situation}]
  conduct_written: {conduct}
  services_in_question: [fines_holds, hours, website]
  feedback_held: [community_survey, complaints_log]
  policy_authority: board
  policy_owner_involved: {owner}
  change_30_days: Every patron is greeted within ten seconds.
  change_1_year: Fewer complaints about fees and holds.
  success_measures: [{measures}]
  baseline_data: {baseline}
  sponsor: Jane Doe, Director
{minutes}  delivery_format: in_person
  budget_trend: {trend}
  stay_open: {open}
skipped: []
notes: {{}}
follow_up: []
sources: {{}}
history: []
"""

_PLACES = ["Ames", "Boone", "Story City", "Nevada", "Huxley", "Gilbert", "Roland", "Slater"]
_KINDS = ["Public Library", "County Library", "Library District", "Free Library"]


def bank_sha() -> str:
    return hashlib.sha256(SHIPPED_BANK.read_bytes()).hexdigest()


def session_text(n: int, rng: random.Random, sha: str, created: dt.datetime) -> tuple[str, str]:
    """The id and file text of the ``n``-th generated session."""
    client = f"{rng.choice(_PLACES)} {rng.choice(_KINDS)} {n}"
    day = created.date().isoformat()
    session_id = f"{client.lower().replace(' ', '-')}-{day}"
    meaning = rng.choice(["behavior", "offerings", "both", "both", "unsure", None])
    minutes = rng.choice([60, 90, 210, 390, 780, 1170, None])
    updated = created + dt.timedelta(minutes=rng.randint(5, 90))
    text = _SESSION.format(
        id=session_id,
        sha=sha,
        bank_path=SHIPPED_BANK,
        client=client,
        status=rng.choice(["complete", "complete", "in_progress"]),
        created=created.isoformat(),
        updated=updated.isoformat(),
        meaning=f"  cs_meaning: {meaning}\n" if meaning else "",
        cause=rng.choice(["skill_gap", "not_applied", "policy", "process", "workload"]),
        goals="  plan_goals: Goal 1, welcoming service\n" if rng.random() < 0.6 else "",
        participants=rng.randint(5, 120),
        branches=rng.randint(1, 6),
        attendance=rng.choice(["required", "voluntary", "mixed"]),
        attitude=rng.choice(["enthusiastic", "open_busy", "skeptical", "resistant"]),
        reinforce=rng.choice(["true", "false"]),
        channel=rng.choice(["phone", "email", "chat", "roving"]),
        situation=rng.choice(["harassment", "mental_health", "language_barriers"]),
        conduct=rng.choice(["true", "false"]),
        owner=rng.choice(["true", "false"]),
        measures=rng.choice(["reaction_survey", "reaction_survey, observation"]),
        baseline=rng.choice(["true", "false"]),
        minutes=f"  minutes_available: {minutes}\n" if minutes else "",
        trend=rng.choice(["cut", "flat", "grown"]),
        open=rng.choice(["true", "false"]),
    )
    return session_id, text


def make_store(root: Path, count: int, seed: int = 7, *, future: bool = False) -> Path:
    """A store of ``count`` sessions on the shipped bank, with varied answers; file times are
    set to each session's own time, as a store filled over the years would have them.

    Sessions are about two hours apart from 2016, closer together where that would reach past
    2026, so that no file is dated in the future. ``future=True`` spaces them two hours apart
    from 2024 whatever the count: past 12,000 or so sessions, files come from the future, as
    from a machine whose clock is ahead."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sha = bank_sha()
    start = dt.datetime(2024 if future else 2016, 1, 1, 9, 0, tzinfo=dt.UTC)
    span = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - start
    step = dt.timedelta(hours=2) if future else min(dt.timedelta(hours=2), span / max(count, 1))
    for n in range(count):
        created = start + step * n + dt.timedelta(minutes=rng.randint(0, 59))
        session_id, text = session_text(n, rng, sha, created)
        path = root / f"{session_id}.yaml"
        path.write_text(text, encoding="utf-8")
        stamp = created.timestamp()
        os.utime(path, (stamp, stamp))
    return root


_TYPES = ("choice", "integer", "yes_no", "multi_choice", "text", "scale", "date", "number")


def make_bank(path: Path, questions: int = 500, seed: int = 11) -> Path:
    """A bank of ``questions`` questions of mixed types in sections of 25, where most
    questions after the first few have a ``when`` that reads one to three earlier answers."""
    rng = random.Random(seed)
    lines = [
        "format: csintake/bank@1",
        "id: bench-large",
        "version: 1.0.0",
        "title: A large bank for benchmarks",
        "sections:",
    ]
    kinds: list[tuple[str, str]] = []
    for i in range(questions):
        if i % 25 == 0:
            lines += [f"  - id: s{i // 25}", f"    title: Section {i // 25}", "    questions:"]
        kind = _TYPES[i % len(_TYPES)]
        qid = f"q{i}"
        lines += [f"      - id: {qid}", f"        type: {kind}", f"        prompt: Question {i}?"]
        if kind in ("choice", "multi_choice"):
            lines.append("        choices: [{value: a}, {value: b}, {value: c}]")
        elif kind == "scale":
            lines += ["        min: 1", "        max: 5"]
        elif kind == "integer":
            lines += ["        min: 0", "        max: 1000"]
        if i >= 5 and rng.random() < 0.8:
            lines.append(f"        when: {_condition(rng, kinds)!r}")
        kinds.append((qid, kind))
    lines += ["brief:", "  modules:"]
    lines += [
        f"    - {{id: m{i}, title: Module {i}, minutes: 30, when: {_condition(rng, kinds)!r}}}"
        for i in range(20)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _condition(rng: random.Random, earlier: list[tuple[str, str]]) -> str:
    parts = []
    for qid, kind in rng.sample(earlier, min(len(earlier), rng.randint(1, 3))):
        parts.append(
            {
                "choice": f"{qid} in ['a', 'b']",
                "multi_choice": f"'a' in {qid} or len({qid}) == 0",
                "integer": f"{qid} >= 0 or {qid} == null",
                "number": f"{qid} != 1.5",
                "yes_no": f"{qid} != false",
                "scale": f"{qid} == null or {qid} >= 1",
                "date": f"{qid} == null or {qid} >= '2000-01-01'",
                "text": f"answered({qid}) or {qid} == null",
            }[kind]
        )
    return " or ".join(f"({p})" for p in parts)


def answer_for(kind: str, n: int) -> object:
    """A valid raw answer for a question of ``kind`` in :func:`make_bank`'s bank."""
    return {
        "choice": "a",
        "multi_choice": ["a", "c"],
        "integer": n % 1000,
        "number": 2.5,
        "yes_no": True,
        "scale": 1 + n % 5,
        "date": "2026-11-28",
        "text": f"answer {n}",
    }[kind]
