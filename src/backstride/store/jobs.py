"""Background jobs' rows: created for a person, updated as the job goes, read back by its owner.

Every read takes the person, so one person never sees another's job; only ``job_owner`` (for
the worker, which acts for whoever queued the job) reads a job by its id alone.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backstride.store.models import JobRow, Person

STATUSES = ("queued", "running", "done", "failed")


def add_job(
    session: Session, who: Person, *, kind: str, args: dict[str, Any], at: datetime
) -> JobRow:
    """A new job, queued."""
    row = JobRow(
        person_id=who.id,
        kind=kind,
        status="queued",
        args=args,
        done=0,
        note="",
        attempts=0,
        created_at=at,
        updated_at=at,
    )
    session.add(row)
    session.flush()
    return row


def job(session: Session, who: Person, job_id: int) -> JobRow | None:
    """The person's job with this id (None for a job of someone else)."""
    return session.scalar(select(JobRow).where(JobRow.id == job_id, JobRow.person_id == who.id))


def jobs(session: Session, who: Person, limit: int = 20) -> list[JobRow]:
    """The person's newest jobs first."""
    return list(
        session.scalars(
            select(JobRow)
            .where(JobRow.person_id == who.id)
            .order_by(JobRow.created_at.desc(), JobRow.id.desc())
            .limit(limit)
        )
    )


def newest_done(session: Session, who: Person, kind: str) -> JobRow | None:
    """The person's newest finished job of this kind, or None."""
    return session.scalar(
        select(JobRow)
        .where(JobRow.person_id == who.id, JobRow.kind == kind, JobRow.status == "done")
        .order_by(JobRow.created_at.desc(), JobRow.id.desc())
        .limit(1)
    )


def job_owner(session: Session, job_id: int) -> str | None:
    """The key of the person a job belongs to (the worker runs it on their behalf)."""
    return session.scalar(
        select(Person.key).join(JobRow, JobRow.person_id == Person.id).where(JobRow.id == job_id)
    )


def update_job(session: Session, row: JobRow, *, at: datetime, **changes: Any) -> None:
    """Set fields of a job (status, done, total, note, result, output, error, attempts,
    queue_id) and its update time."""
    if "status" in changes and changes["status"] not in STATUSES:
        raise ValueError(f"not a job status: {changes['status']}")
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = at
    session.flush()


INTERRUPTED = "interrupted: the process running it stopped"


def unfinished_inline(session: Session, who: Person) -> list[JobRow]:
    """The person's inline jobs (run by a process itself, not the queue) still queued or
    running, oldest first."""
    return list(
        session.scalars(
            select(JobRow)
            .where(
                JobRow.person_id == who.id,
                JobRow.queue_id.is_(None),
                JobRow.status.in_(("queued", "running")),
            )
            .order_by(JobRow.id)
        )
    )


def interrupt_inline_jobs(
    session: Session, who: Person, *, at: datetime, keep: Collection[int] = ()
) -> int:
    """Mark the person's inline jobs (no queue) still queued or running as failed, all but
    those in ``keep`` (still under way in a live process): the process that ran them stopped.
    Returns how many."""
    ids = [row.id for row in unfinished_inline(session, who) if row.id not in keep]
    return interrupt_jobs(session, who, ids, at=at)


def interrupt_jobs(session: Session, who: Person, ids: Collection[int], *, at: datetime) -> int:
    """Mark these jobs of the person as failed, interrupted. Returns how many."""
    if not ids:
        return 0
    result = session.execute(
        update(JobRow)
        .where(JobRow.person_id == who.id, JobRow.id.in_(list(ids)))
        .values(status="failed", error=INTERRUPTED, updated_at=at)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
