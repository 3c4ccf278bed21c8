"""The brief as data: one JSON document with the same content as the other formats.

Strings are kept exactly as answered (JSON escapes what needs escaping); ``because`` lists
are ``id = value`` strings with the raw values the conditions read.
"""

from __future__ import annotations

from typing import Any

from csintake.brief.builder import AgendaModule, Brief
from csintake.brief.proposal import Proposal
from csintake.brief.wording import flag_reason, module_reason
from csintake.printable import json_text

BRIEF_FORMAT = "csintake/brief@1"


def _module(m: AgendaModule) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "minutes": m.minutes,
        "priority": m.priority,
        "summary": m.summary,
        "because": list(m.because),
        "reason": module_reason(m),
        "strand": m.strand,
        "short": m.shortened,
        "full_minutes": m.full_minutes,
        "objectives": list(m.objectives),
    }


def proposal_data(p: Proposal) -> dict[str, Any]:
    """The proposal's parts: what you told us, timetable, format, cost, decisions, assumptions."""
    timetable = None
    if p.timetable is not None:
        timetable = {
            "start": p.timetable.start,
            "end": p.timetable.end,
            "days": p.timetable.days,
            "minutes": p.timetable.minutes,
            "break_minutes": p.timetable.break_minutes,
            "slots": [
                {
                    "start": s.start,
                    "end": s.end,
                    "title": s.title,
                    "minutes": s.minutes,
                    "break": s.is_break,
                    "day": s.day,
                }
                for s in p.timetable.slots
            ],
        }
    g, c = p.group, p.cost
    return {
        "problem": list(p.problem),
        "prepared_for": p.prepared_for,
        "prepared_by": p.prepared_by,
        "to_decide": list(p.to_decide),
        "timetable": timetable,
        "delivery": {
            "format": g.kind,
            "headcount": g.participants,
            "group_max": g.group_max,
            "sessions": g.sessions,
            "groups": g.groups,
            "facilitators": g.facilitators,
            "text": g.text,
        },
        "cost": {
            "fee": [{"label": x.label, "amount": x.amount} for x in c.lines],
            "total": c.total,
            "missing": c.missing,
            "library": list(c.library),
        },
        "decisions": [{"id": d.id, "owner": d.owner, "message": d.message} for d in p.decisions],
        "assumptions": list(p.assumptions),
        "approvals": list(p.approvals),
    }


# What a client brief leaves out of the data: every key that holds an id, a note or the
# machine `because`.
_INTERNAL_KEYS = frozenset({"session", "bank", "still_open", "notes", "because", "question"})


def _client(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: _client(v)
            for k, v in data.items()
            if k not in _INTERNAL_KEYS
            and not (k in ("id", "note", "section") and v == "")
            and not (k in ("note", "value") and v is None)
        }
    if isinstance(data, list):
        return [_client(v) for v in data]
    return data


def to_data(brief: Brief) -> dict[str, Any]:
    data = _data(brief)
    return data if brief.internal else _client(data)


def _data(brief: Brief) -> dict[str, Any]:
    agenda = brief.agenda
    return {
        "format": BRIEF_FORMAT,
        "audience": brief.audience,
        "title": brief.title,
        "client": brief.client,
        "consultant": brief.consultant,
        "date": brief.date.isoformat(),
        "session": {
            "id": brief.session_id,
            "status": brief.status,
            "created": brief.created.isoformat(),
            "updated": brief.updated.isoformat(),
        },
        "bank": {"id": brief.bank_id, "version": brief.bank_version, "title": brief.bank_title},
        "draft": brief.draft,
        "still_open": list(brief.still_open),
        "scope": {
            "question": brief.scope.question,
            "value": brief.scope.value,
            "label": brief.scope.label,
            "headline": brief.scope.headline,
        },
        "agenda": {
            "budget_minutes": agenda.budget_minutes,
            "budget_label": agenda.budget_label,
            "total_minutes": agenda.total_minutes,
            "break_minutes": agenda.break_minutes,
            "over_budget": agenda.over_budget,
            "modules": [_module(m) for m in agenda.modules],
            "follow_up": [_module(m) for m in agenda.follow_up],
            "sessions": [
                {
                    "number": p.number,
                    "total_minutes": p.total_minutes,
                    "modules": [_module(m) for m in p.modules],
                }
                for p in agenda.sessions
            ],
            "later": [_module(m) for m in agenda.later],
            "later_minutes": agenda.later_minutes,
            "gaps": [{"strand": strand, "extra_minutes": extra} for strand, extra in agenda.gaps],
        },
        "flags": [
            {
                "id": f.id,
                "level": f.level,
                "kind": "risk" if f in brief.risks else "decision",
                "message": f.message,
                "because": list(f.because),
                "reason": flag_reason(f),
                "audience": f.audience,
            }
            for f in brief.flags
        ],
        "proposal": proposal_data(brief.proposal),
        "evaluation": [
            {"level": e.level, "timing": e.timing, "measure": e.measure} for e in brief.evaluation
        ],
        "next_steps": [
            {"text": n.text, "owner": n.owner, "question": n.question} for n in brief.next_steps
        ],
        "open_questions": [
            {
                "id": q.id,
                "reason": q.reason,
                "prompt": q.prompt,
                "required": q.required,
                "answer": q.answer,
                "note": q.note,
            }
            for q in brief.open_questions
        ],
        "notes": [{"id": n.id, "prompt": n.prompt, "note": n.text} for n in brief.notes],
        "context": [
            {
                "section": s.id,
                "title": s.title,
                "answers": [
                    {
                        "id": a.id,
                        "prompt": a.prompt,
                        "value": a.value,
                        "answer": a.shown,
                        "note": a.note,
                    }
                    for a in s.answers
                ],
            }
            for s in brief.context
        ],
    }


def render(brief: Brief) -> str:
    return json_text(to_data(brief)) + "\n"
