"""`backstride profile`: show or set the person's profile."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from backstride.cli.common import console, emit_json, friendly_errors

# Kept here (not imported from recovery) so that `profile --help` loads no database code.
AGE_BANDS = ("under_18", "18_34", "35_49", "50_64", "65_plus")
SEXES = ("female", "male", "other")


@friendly_errors
def profile(
    age_band: Annotated[
        str | None, typer.Option("--age-band", help=f"One of: {', '.join(AGE_BANDS)}.")
    ] = None,
    sex: Annotated[str | None, typer.Option("--sex", help=f"One of: {', '.join(SEXES)}.")] = None,
    athlete: Annotated[str | None, typer.Option("--athlete", help="runner or triathlete.")] = None,
    days: Annotated[int | None, typer.Option("--days", help="Training days a week, 1-7.")] = None,
    equipment: Annotated[
        list[str] | None, typer.Option("--equipment", help="Equipment, as for `backstride plan`.")
    ] = None,
    psfs_activity: Annotated[
        list[str] | None,
        typer.Option(
            "--psfs-activity",
            help="An activity your back makes hard (up to 3; replaces the list).",
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the profile as JSON.")] = False,
) -> None:
    """Show your profile, or set any part of it."""
    from backstride.recovery.profile import check_profile, update_profile

    changes = check_profile(
        {
            "age_band": age_band,
            "sex": sex,
            "athlete": athlete,
            "days_per_week": days,
            "equipment": equipment or None,
            "psfs_activities": psfs_activity,
        }
    )
    shown = update_profile(**changes)
    if json_:
        emit_json(shown)
        return
    for key, value in shown.items():
        text = ", ".join(value) if isinstance(value, list) else value
        console.print(f"{key.replace('_', ' ')}: {escape(str(text if text else '-'))}")
