"""The brief as data: one JSON document with the same content as the other formats.

Strings are kept exactly as answered (JSON escapes what needs escaping); ``because`` lists
are ``id = value`` strings with the raw values the conditions read.
"""

from __future__ import annotations

from typing import Any

from csintake.brief.builder import AgendaModule, Brief
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
    }


def to_data(brief: Brief) -> dict[str, Any]:
    agenda = brief.agenda
    return {
        "format": BRIEF_FORMAT,
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
            "over_budget": agenda.over_budget,
            "modules": [_module(m) for m in agenda.modules],
            "follow_up": [_module(m) for m in agenda.follow_up],
        },
        "flags": [
            {"id": f.id, "level": f.level, "message": f.message, "because": list(f.because)}
            for f in brief.flags
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
