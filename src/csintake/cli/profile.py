"""``csintake profile``: the consultant's name, organisation, currency and rates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from csintake.cli.common import state, user_errors
from csintake.printable import json_text

if TYPE_CHECKING:
    from csintake.store.profile import Profile

app = typer.Typer(
    help="The consultant profile (STORE/profile.yaml) the brief's cost is computed from.",
    no_args_is_help=True,
)


@app.command()
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """Show the profile: who prepares briefs, and the rates they are priced with."""
    from csintake.errors import display_path
    from csintake.store.profile import load_profile, profile_path

    with user_errors():
        root = state(ctx).store
        profile = load_profile(root)
        if as_json:
            data = profile.model_dump(exclude_none=True) if profile else None
            typer.echo(json_text(data))
            return
        if profile is None:
            typer.echo(
                f"No profile yet ({display_path(profile_path(root))}). Start one with"
                " `csintake profile set name NAME` and `csintake profile set rates.210 AMOUNT`."
            )
            return
        typer.echo(profile_text(profile))


def profile_text(profile: Profile) -> str:
    """The profile as lines of ``key: value``, amounts with their currency."""
    from csintake.printable import one_line

    lines = [
        f"name: {one_line(profile.name or '(not set)')}",
        f"organisation: {one_line(profile.organisation or '(not set)')}",
        f"currency: {profile.currency}",
    ]
    if profile.rates:
        lines.append("rates:")
        lines += [
            f"  up to {minutes} minutes: {profile.money(fee)}"
            for minutes, fee in sorted(profile.rates.items())
        ]
    else:
        lines.append("rates: (none yet)")
    for key in ("extra_facilitator", "travel"):
        value = getattr(profile, key)
        lines.append(f"{key}: {'(not set)' if value is None else profile.money(value)}")
    return "\n".join(lines)


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            help="name, organisation, currency, rates.MINUTES (e.g. rates.210),"
            " extra_facilitator or travel."
        ),
    ],
    value: Annotated[str, typer.Argument(help="The new value (an amount for rates and fees).")],
) -> None:
    """Set one value of the profile and save it."""
    from csintake.store.profile import set_value

    with user_errors():
        profile = set_value(state(ctx).store, key, value)
        typer.echo(profile_text(profile))
