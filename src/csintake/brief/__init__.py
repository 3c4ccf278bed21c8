"""The training brief: built from a session as plain data, then rendered."""

from __future__ import annotations

from csintake.brief.builder import (
    Agenda,
    AgendaModule,
    Answer,
    Brief,
    ContextSection,
    Note,
    OpenQuestion,
    RaisedFlag,
    Scope,
    build_brief,
)

__all__ = [
    "Agenda",
    "AgendaModule",
    "Answer",
    "Brief",
    "ContextSection",
    "Note",
    "OpenQuestion",
    "RaisedFlag",
    "Scope",
    "build_brief",
]
