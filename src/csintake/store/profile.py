"""The consultant's profile, ``STORE/profile.yaml``: who prepares a brief, and their rates.

The brief's cost section is computed from it and from nothing else: a rate that is not in the
profile is never guessed. A bad value is one ``FILE:LINE:COL: message`` line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from csintake.errors import ProblemsError, UsageError, display_path
from csintake.files.yamlfile import Located, dump, load_file

PROFILE_FILE = "profile.yaml"

Money = Annotated[int | float, Field(ge=0, allow_inf_nan=False)]
Minutes = Annotated[int, Field(gt=0)]
Text = Annotated[StrictStr, Field(min_length=1)]


class Profile(BaseModel):
    """Name, organisation, currency, and fees per session length, extra facilitator, travel."""

    # Validators are built the first time a profile is read: most briefs have none to read.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: Text | None = None
    organisation: Text | None = None
    currency: Annotated[StrictStr, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    # The fee for one session of up to so many minutes (breaks included).
    rates: dict[Minutes, Money] = Field(default_factory=dict)
    # Per extra facilitator, per session.
    extra_facilitator: Money | None = None
    # Per session delivered on site.
    travel: Money | None = None

    def rate_for(self, minutes: int) -> tuple[int, float] | None:
        """The rate of the shortest session length that covers ``minutes``, if any."""
        for length in sorted(self.rates):
            if minutes <= length:
                return length, self.rates[length]
        return None

    def money(self, amount: float) -> str:
        """``USD 1,800`` or ``USD 1,812.50``."""
        if float(amount).is_integer():
            return f"{self.currency} {amount:,.0f}"
        return f"{self.currency} {amount:,.2f}"


class ProfileError(ProblemsError):
    """A profile file that does not fit the model, or a bad value to set (exit 1)."""

    def lines(self) -> list[str]:
        return super().lines() if self.problems else [self.summary]


KEYS = ("name", "organisation", "currency", "rates.MINUTES", "extra_facilitator", "travel")


def profile_path(store_root: Path) -> Path:
    return store_root / PROFILE_FILE


def load_profile(store_root: Path) -> Profile | None:
    """The profile in the store, or None when there is none yet."""
    path = profile_path(store_root)
    if not path.exists():
        return None
    return _validate(load_file(path, display_path(path)))


def _validate(doc: Located) -> Profile:
    from csintake.bank.problems import pydantic_problems

    data: Any = doc.value if doc.value is not None else {}
    if not isinstance(data, dict):
        raise ProfileError([doc.problem((), "a profile is a mapping of keys to values")])
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(sorted(set(pydantic_problems(exc, doc)))) from None


def set_value(store_root: Path, key: str, value: str) -> Profile:
    """Set ``key`` (one of :data:`KEYS`, ``rates.210`` for a rate) to ``value`` and save."""
    from csintake.files.atomic import write_atomic

    current = load_profile(store_root) or Profile()
    data = current.model_dump(exclude_none=True)
    if key.startswith("rates."):
        minutes = key.removeprefix("rates.")
        if not minutes.isdigit() or int(minutes) <= 0:
            raise UsageError(f"'{key}': a rate is set as rates.MINUTES, e.g. rates.210")
        data["rates"] = {**data.get("rates", {}), int(minutes): _number(key, value)}
    elif key in ("extra_facilitator", "travel"):
        data[key] = _number(key, value)
    elif key in ("name", "organisation", "currency"):
        data[key] = value
    else:
        raise UsageError(f"unknown profile key '{key}': choose one of {', '.join(KEYS)}")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError([], _value_message(key, exc)) from None
    path = profile_path(store_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, dump(profile.model_dump(exclude_none=True)))
    return profile


def _number(key: str, value: str) -> float:
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise ProfileError([], f"{key}: '{value}' is not a number") from None
    return int(number) if number.is_integer() else number


def _value_message(key: str, exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    if err["type"] == "string_pattern_mismatch":
        return f"{key}: a currency is a three-letter code such as USD or EUR"
    if err["type"] == "greater_than_equal":
        return f"{key}: must be 0 or more"
    return f"{key}: {err['msg'][:1].lower()}{err['msg'][1:]}"
