"""The session file (``csintake/session@1``): one intake with one client."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SESSION_FORMAT = "csintake/session@1"
Source = Literal["prompt", "file", "set", "default"]
Status = Literal["in_progress", "complete"]
# A question the client could not or would not answer: a state, never an answer.
Unknown = Literal["dont_know", "declined"]
STATE_MARKS: dict[Unknown, str] = {"dont_know": "don't know", "declined": "declined"}
"""How a state reads in the review and in ``show``."""
ChangeSource = Literal["prompt", "file", "set", "default", "migration"]


def now() -> dt.datetime:
    """The current time in UTC, to the second, as written in session files."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _aware(value: Any) -> Any:
    # A hand-edited time without a zone is read as UTC, so that sessions can always be
    # sorted by time (naive and aware times cannot be compared).
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.datetime) and not _EARLIEST <= value <= _LATEST:
        # A time at the very edge of the range cannot be moved to another zone (to UTC, to
        # the reader's local time) without leaving it: refused here, not a crash later.
        raise ValueError("the time is out of range (years 0001 to 9999, a day from either end)")
    return value


# A day inside the range on either side: every zone's local time of these is still a time.
_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=1)


class BankRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    version: str
    sha256: str
    path: str


class Change(BaseModel):
    """One replaced answer."""

    model_config = ConfigDict(extra="forbid")

    question: str
    old: Any = None
    new: Any = None
    at: dt.datetime
    source: ChangeSource | None = None

    _at_aware = field_validator("at")(_aware)


class Session(BaseModel):
    """A session as stored. Answers stay as stored even when their question is not relevant."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    format: Literal["csintake/session@1"] = "csintake/session@1"
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)
    bank: BankRef
    client: str
    consultant: str | None = None
    status: Status = "in_progress"
    created: dt.datetime = Field(default_factory=now)
    updated: dt.datetime = Field(default_factory=now)
    # Empty defaults as values (pydantic copies them per session), not `default_factory=dict`:
    # building the validator reads a factory's signature, and a builtin's is parsed from text.
    answers: dict[str, Any] = {}
    skipped: list[str] = []
    notes: dict[str, str] = {}
    follow_up: list[str] = []
    sources: dict[str, Source] = {}
    history: list[Change] = []
    states: dict[str, Unknown] = {}
    # Seconds spent per section id, summed across resumes.
    timings: dict[str, float] = {}

    _times_aware = field_validator("created", "updated")(_aware)

    def to_data(self) -> dict[str, Any]:
        """Plain data in the file's key order, times as ISO text (``+00:00``, as everywhere)."""
        data = self.model_dump(mode="json", exclude_none=False)
        if data.get("consultant") is None:
            del data["consultant"]
        data["created"] = self.created.isoformat()
        data["updated"] = self.updated.isoformat()
        for change, entry in zip(self.history, data["history"], strict=True):
            entry["at"] = change.at.isoformat()
            if entry.get("source") is None:
                entry.pop("source", None)
        # Keys a session has not used stay out of its file, so files keep their first-round shape.
        for key in ("states", "timings"):
            if not data[key]:
                del data[key]
        return data
