"""`backstride profile`: show or set the person's profile."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from backstride.cli.common import console, emit_json, friendly_errors
from backstride.errors import InputError

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
    from backstride.recovery.profile import update_profile

    if age_band is not None and age_band not in AGE_BANDS:
        raise InputError(f"--age-band '{age_band}' must be one of: {', '.join(AGE_BANDS)}")
    if sex is not None and sex not in SEXES:
        raise InputError(f"--sex '{sex}' must be one of: {', '.join(SEXES)}")
    if athlete is not None and athlete not in ("runner", "triathlete"):
        raise InputError(f"--athlete '{athlete}' must be 'runner' or 'triathlete'")
    if days is not None and not 1 <= days <= 7:
        raise InputError(f"--days {days} must be between 1 and 7")
    if psfs_activity is not None and len(psfs_activity) > 3:
        raise InputError("--psfs-activity takes at most 3 activities")
    kit = None
    if equipment:
        from backstride.cli.plan_cmd import parse_equipment

        kit = sorted(parse_equipment(equipment))
    shown = update_profile(
        age_band=age_band,
        sex=sex,
        athlete=athlete,
        days_per_week=days,
        equipment=kit,
        psfs_activities=psfs_activity,
    )
    if json_:
        emit_json(shown)
        return
    for key, value in shown.items():
        text = ", ".join(value) if isinstance(value, list) else value
        console.print(f"{key.replace('_', ' ')}: {escape(str(text if text else '-'))}")
