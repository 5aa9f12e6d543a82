"""Activities: entered by hand, or imported from watch files (see ``backstride.ingest``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backstride.clock import now
from backstride.errors import InputError
from backstride.ingest import FileProblem, parse
from backstride.ingest.sources import Source
from backstride.recovery.workspace import LOCAL_PERSON, person_session
from backstride.store import records as rec
from backstride.store.models import Person
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


def add_activity(activity: Activity, *, person: str = LOCAL_PERSON) -> bool:
    """Save one activity; False when it duplicates one already saved."""
    with person_session(person) as (session, who):
        return rec.add_activity(session, who, activity, at=now())


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file."""

    name: str
    added: int = 0
    duplicates: int = 0
    problem: str | None = None


@dataclass
class ImportSummary:
    """Totals of an import, and every failure with its reason."""

    files: int = 0
    imported: int = 0
    duplicates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def import_sources(
    sources: Sequence[Source],
    on_file: Callable[[FileResult], None] | None = None,
    *,
    person: str = LOCAL_PERSON,
    job: int | None = None,
) -> ImportSummary:
    """Parse and save each file, committing after each one: an interrupted import keeps every
    file already done, and running it again skips them as duplicates. A bad file is reported
    and the import goes on; nothing saved before is changed. ``job``: the import job this is
    (its id is saved with each activity, so that the job run again knows its own)."""
    summary = ImportSummary()
    with person_session(person) as (session, who):
        session.commit()
        for source in sources:
            result = _import_one(session, who, source, job)
            summary.files += 1
            summary.imported += result.added
            summary.duplicates += result.duplicates
            if result.problem:
                summary.failures.append((result.name, result.problem))
            if on_file:
                on_file(result)
    return summary


def _import_one(session: Session, who: Person, source: Source, job: int | None) -> FileResult:
    if source.read is None:
        return FileResult(source.name, problem=source.problem or "refused")
    try:
        activities = parse(source.name, source.read())
    except FileProblem as exc:
        return FileResult(source.name, problem=str(exc))
    except Exception as exc:  # a parser library tripping on odd input must not stop the import
        return FileResult(source.name, problem=f"unreadable ({type(exc).__name__}: {exc})")
    added = duplicates = 0
    try:
        for activity in activities:
            if rec.add_activity(session, who, activity, at=now(), job=job):
                added += 1
            else:
                duplicates += 1
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        return FileResult(
            source.name, problem=f"not saved: database error ({exc.__class__.__name__})"
        )
    return FileResult(source.name, added, duplicates)
