"""Activities: entered by hand, or imported from watch files (see ``backstride.ingest``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from backstride.clock import now
from backstride.errors import InputError
from backstride.recovery.workspace import person_session
from backstride.store import records as rec
from backstride.track.model import SPORTS, TERRAINS, Activity


def parse_duration(text: str) -> float:
    """Seconds from '45' (minutes), '45:30' (minutes:seconds) or '1:05:00' (h:m:s)."""
    parts = text.strip().split(":")
    if not parts or not all(p.strip().isdigit() for p in parts) or len(parts) > 3:
        raise InputError(f"--duration '{text}' must be minutes (45), mm:ss or h:mm:ss")
    numbers = [int(p) for p in parts]
    if len(numbers) == 1:
        seconds = numbers[0] * 60
    elif len(numbers) == 2:
        seconds = numbers[0] * 60 + numbers[1]
    else:
        seconds = numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    if seconds <= 0:
        raise InputError(f"--duration '{text}' must be longer than zero")
    return float(seconds)


def manual_activity(
    *,
    day: date,
    start_time: time,
    duration_s: float,
    distance_km: float | None,
    sport: str = "run",
    terrain: str | None = None,
    surface: str | None = None,
    pain_during: int | None = None,
    rpe: int | None = None,
) -> Activity:
    """A validated hand-entered activity; InputError names the first bad value."""
    start = datetime.combine(day, start_time, tzinfo=UTC)
    if start > now():
        raise InputError(f"the start {start.isoformat()} is in the future")
    if sport not in SPORTS:
        raise InputError(f"--sport '{sport}' must be one of: {', '.join(SPORTS)}")
    if terrain is not None and terrain not in TERRAINS:
        raise InputError(f"--terrain '{terrain}' must be one of: {', '.join(TERRAINS)}")
    if distance_km is not None and not 0 < distance_km <= 1000:
        raise InputError(f"--distance {distance_km} km must be between 0 and 1000")
    if pain_during is not None and not 0 <= pain_during <= 10:
        raise InputError(f"--pain {pain_during} must be between 0 and 10")
    if rpe is not None and not 0 <= rpe <= 10:
        raise InputError(f"--rpe {rpe} must be between 0 and 10 (CR-10 scale)")
    return Activity(
        sport=sport,
        start=start,
        duration_s=duration_s,
        distance_m=None if distance_km is None else distance_km * 1000.0,
        terrain=terrain,
        surface=surface,
        pain_during=pain_during,
        rpe=rpe,
    )


def add_activity(activity: Activity) -> bool:
    """Save one activity; False when it duplicates one already saved."""
    with person_session() as (session, who):
        return rec.add_activity(session, who, activity, at=now())
