"""`backstride run`: add a run (or a walk, ride or swim) by hand."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

import typer

from backstride.cli.common import console, emit_json, friendly_errors
from backstride.clock import today
from backstride.errors import InputError


def parse_time(value: str) -> time:
    """HH:MM."""
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InputError(f"--time '{value}' is not a time like 07:30") from None


@friendly_errors
def run(
    duration: Annotated[str, typer.Option("--duration", help="Minutes (45), mm:ss or h:mm:ss.")],
    distance: Annotated[float | None, typer.Option("--distance", help="Distance in km.")] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="Day (YYYY-MM-DD), today if not given.")
    ] = None,
    start: Annotated[str, typer.Option("--time", help="Start time, HH:MM (UTC).")] = "07:00",
    terrain: Annotated[
        str | None,
        typer.Option("--terrain", help="flat, hilly, downhill, trail or track."),
    ] = None,
    surface: Annotated[
        str | None, typer.Option("--surface", help="e.g. road, grass, treadmill.")
    ] = None,
    pain: Annotated[int | None, typer.Option("--pain", help="Worst pain during it, 0-10.")] = None,
    rpe: Annotated[
        int | None, typer.Option("--rpe", help="How hard it felt, 0-10 (session RPE).")
    ] = None,
    sport: Annotated[str, typer.Option("--sport", help="run, walk, ride or swim.")] = "run",
    json_: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Add a run by hand: date, distance, duration, terrain, surface and pain during it."""
    from backstride.recovery.activities import add_activity, manual_activity, parse_duration
    from backstride.recovery.progress import refresh

    try:
        when = date.fromisoformat(day) if day else today()
    except ValueError:
        raise InputError(f"--date '{day}' is not a date like 2026-10-05") from None
    activity = manual_activity(
        day=when,
        start_time=parse_time(start),
        duration_s=parse_duration(duration),
        distance_km=distance,
        sport=sport,
        terrain=terrain,
        surface=surface,
        pain_during=pain,
        rpe=rpe,
    )
    added = add_activity(activity)
    refresh()
    if json_:
        emit_json({"added": added, "duplicate": not added, "start": activity.start.isoformat()})
    elif added:
        console.print(f"Saved the {activity.sport} of {when.isoformat()}.")
    else:
        console.print(
            f"Not saved: a {activity.sport} starting within a minute of that one is already saved."
        )
