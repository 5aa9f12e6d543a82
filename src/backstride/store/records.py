"""Reading and writing one person's records. Every function takes an open Session.

The functions speak in plain records (``backstride.track.model``) and JSON documents; the ORM
rows stay inside ``store``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Text, bindparam, cast, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from backstride.clock import now
from backstride.store.db import ConflictError
from backstride.store.models import (
    ActivityRow,
    AssessmentRow,
    Base,
    CheckInRow,
    InterviewRow,
    InterviewStepRow,
    JobRow,
    Meta,
    Person,
    PhaseMoveRow,
    PlanRow,
)
from backstride.track.model import Activity, CheckIn, Sport, Terrain

LOCAL_PERSON = "local"  # the one person of a command-line install
DUPLICATE_WINDOW = timedelta(minutes=1)  # same sport starting within a minute: the same activity


# --- person and profile -----------------------------------------------------------------------


def person(session: Session, key: str = LOCAL_PERSON, *, at: datetime | None = None) -> Person:
    """The person with this key, created (with an empty profile) on first use."""
    found = session.scalar(select(Person).where(Person.key == key))
    if found is not None:
        return found
    created = Person(key=key, created_at=at or now(), equipment=[], psfs_activities=[])
    try:
        # A savepoint: two first requests at once (two workers, two threads) both try to
        # create the person; the one that loses reads the winner's row instead of failing.
        with session.begin_nested():
            session.add(created)
    except IntegrityError:
        return session.scalars(select(Person).where(Person.key == key)).one()
    return created


def find_person(session: Session, key: str = LOCAL_PERSON) -> Person | None:
    """The person with this key, or None (never creates one)."""
    return session.scalar(select(Person).where(Person.key == key))


PROFILE_FIELDS = ("age_band", "sex", "athlete", "days_per_week", "equipment", "psfs_activities")


def profile(who: Person) -> dict[str, Any]:
    """The profile as a plain dict."""
    return {
        "age_band": who.age_band,
        "sex": who.sex,
        "athlete": who.athlete,
        "days_per_week": who.days_per_week,
        "equipment": list(who.equipment or []),
        "psfs_activities": list(who.psfs_activities or []),
    }


def update_profile(session: Session, who: Person, **changes: Any) -> None:
    """Set profile fields (names from PROFILE_FIELDS); None leaves a field as it is."""
    for name, value in changes.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"not a profile field: {name}")
        if value is not None:
            setattr(who, name, list(value) if isinstance(value, list | tuple) else value)
    session.flush()


def get_meta(session: Session, key: str) -> str | None:
    """A value from the meta table."""
    row = session.get(Meta, key)
    return None if row is None else row.value


def set_meta(session: Session, key: str, value: str) -> None:
    """Set a value in the meta table."""
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value


# --- assessments and plans ---------------------------------------------------------------------


def add_assessment(
    session: Session,
    who: Person,
    *,
    result: dict[str, Any],
    at: datetime,
    origin: str,
    story: str | None,
    engine_version: str,
    kb_version: str,
) -> AssessmentRow:
    """Save an assessment (the JSON of ``check --json``) with its story and versions."""
    row = AssessmentRow(
        person_id=who.id,
        created_at=at,
        origin=origin,
        story=story,
        answers=dict(result.get("findings") or {}),
        result=result,
        triage=str((result.get("triage") or {}).get("level", "")),
        engine_version=engine_version,
        kb_version=kb_version,
    )
    session.add(row)
    session.flush()
    return row


def replace_assessment_result(
    session: Session, who: Person, assessment_id: int, result: dict[str, Any], *, at: datetime
) -> AssessmentRow | None:
    """Put a new result in one of the person's assessments (an interview finished again after
    an undo); None when it is not theirs or is gone."""
    row = session.scalar(
        select(AssessmentRow).where(
            AssessmentRow.id == assessment_id, AssessmentRow.person_id == who.id
        )
    )
    if row is None:
        return None
    row.result = result
    row.answers = dict(result.get("findings") or {})
    row.triage = str((result.get("triage") or {}).get("level", ""))
    row.created_at = at
    session.flush()
    return row


def assessment_result(session: Session, who: Person, assessment_id: int) -> dict[str, Any] | None:
    """The JSON of one of the person's assessments, or None."""
    return session.scalar(
        select(AssessmentRow.result).where(
            AssessmentRow.id == assessment_id, AssessmentRow.person_id == who.id
        )
    )


def latest_assessment(session: Session, who: Person) -> AssessmentRow | None:
    """The newest assessment."""
    return session.scalar(
        select(AssessmentRow)
        .where(AssessmentRow.person_id == who.id)
        .order_by(AssessmentRow.created_at.desc(), AssessmentRow.id.desc())
        .limit(1)
    )


def assessment(session: Session, who: Person, assessment_id: int) -> AssessmentRow | None:
    """The person's assessment with this id (None for someone else's)."""
    return session.scalar(
        select(AssessmentRow).where(
            AssessmentRow.id == assessment_id, AssessmentRow.person_id == who.id
        )
    )


def add_plan(
    session: Session,
    who: Person,
    *,
    assessment_id: int,
    settings: dict[str, Any],
    document: dict[str, Any],
    at: datetime,
) -> PlanRow:
    """Save a plan (the JSON of ``plan --json``) with the settings and assessment it came from."""
    row = PlanRow(
        person_id=who.id,
        assessment_id=assessment_id,
        created_at=at,
        settings=settings,
        document=document,
        triage=str(document.get("triage", "")),
    )
    session.add(row)
    session.flush()
    return row


def latest_plan(session: Session, who: Person) -> PlanRow | None:
    """The newest plan: the one the person follows."""
    return session.scalar(
        select(PlanRow)
        .where(PlanRow.person_id == who.id)
        .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
        .limit(1)
    )


def add_phase_move(
    session: Session,
    who: Person,
    *,
    plan_id: int,
    at: datetime,
    decision: str,
    phase: str,
    step: int | None,
    reason: str,
    week_start: date | None = None,
) -> PhaseMoveRow:
    """Record where the plan stands after a decision, and why."""
    row = PhaseMoveRow(
        person_id=who.id,
        plan_id=plan_id,
        at=at,
        week_start=week_start,
        decision=decision,
        phase=phase,
        step=step,
        reason=reason,
    )
    session.add(row)
    session.flush()
    return row


def phase_moves(session: Session, who: Person, plan_id: int | None = None) -> list[PhaseMoveRow]:
    """The phase history, oldest first (of one plan, or of all)."""
    query = select(PhaseMoveRow).where(PhaseMoveRow.person_id == who.id)
    if plan_id is not None:
        query = query.where(PhaseMoveRow.plan_id == plan_id)
    return list(session.scalars(query.order_by(PhaseMoveRow.at, PhaseMoveRow.id)))


# --- check-ins ---------------------------------------------------------------------------------


def add_checkin(session: Session, who: Person, checkin: CheckIn, *, at: datetime) -> CheckInRow:
    """Save a check-in."""
    row = CheckInRow(
        person_id=who.id,
        created_at=at,
        day=checkin.day,
        pain_now=checkin.pain_now,
        pain_activity=checkin.pain_activity,
        pain_morning=checkin.pain_morning,
        stiffness_min=checkin.stiffness_min,
        psfs=[[name, score] for name, score in checkin.psfs],
        done=list(checkin.done),
        notes=checkin.notes,
        signs=dict(checkin.signs),
        passed=list(checkin.passed),
    )
    session.add(row)
    session.flush()
    return row


def to_checkin(row: CheckInRow) -> CheckIn:
    """The plain record of a check-in row."""
    return CheckIn(
        day=row.day,
        pain_now=row.pain_now,
        pain_activity=row.pain_activity,
        pain_morning=row.pain_morning,
        stiffness_min=row.stiffness_min,
        psfs=tuple((str(n), int(s)) for n, s in row.psfs or []),
        done=tuple(row.done or []),
        notes=row.notes or "",
        signs=tuple((str(k), bool(v)) for k, v in (row.signs or {}).items()),
        passed=tuple(row.passed or []),
    )


def checkins(
    session: Session, who: Person, since: date | None = None, until: date | None = None
) -> list[CheckIn]:
    """Check-ins from ``since`` to ``until`` (inclusive), oldest first."""
    query = select(CheckInRow).where(CheckInRow.person_id == who.id)
    if since is not None:
        query = query.where(CheckInRow.day >= since)
    if until is not None:
        query = query.where(CheckInRow.day <= until)
    rows = session.scalars(query.order_by(CheckInRow.day, CheckInRow.created_at, CheckInRow.id))
    return [to_checkin(r) for r in rows]


# --- activities --------------------------------------------------------------------------------


def is_duplicate(session: Session, who: Person, sport: str, start: datetime) -> bool:
    """True when an activity of this sport starts within a minute of ``start``."""
    found = session.scalar(
        select(ActivityRow.id)
        .where(
            ActivityRow.person_id == who.id,
            ActivityRow.sport == sport,
            ActivityRow.start >= start - DUPLICATE_WINDOW,
            ActivityRow.start <= start + DUPLICATE_WINDOW,
        )
        .limit(1)
    )
    return found is not None


def add_activity(
    session: Session, who: Person, activity: Activity, *, at: datetime, job: int | None = None
) -> bool:
    """Save an activity unless it is a duplicate; True when it was added. ``job``: the id of
    the import job saving it (see ``saved_by``)."""
    if is_duplicate(session, who, activity.sport, activity.start):
        return False
    session.add(
        ActivityRow(
            person_id=who.id,
            created_at=at,
            sport=activity.sport,
            start=activity.start,
            duration_s=activity.duration_s,
            distance_m=activity.distance_m,
            terrain=activity.terrain,
            surface=activity.surface,
            pain_during=activity.pain_during,
            rpe=activity.rpe,
            aero_s=activity.aero_s,
            source=activity.source,
            job_id=job,
        )
    )
    session.flush()
    return True


def saved_by(session: Session, who: Person, job: int) -> dict[str, int]:
    """How many of the person's activities the import job ``job`` saved from each file, by the
    file's name as the importer gave it: what an earlier attempt of the job saved, when it is
    run again (activities saved before it started, even from the same files, are not its)."""
    rows = session.execute(
        select(ActivityRow.source, func.count())
        .where(ActivityRow.person_id == who.id, ActivityRow.job_id == job)
        .group_by(ActivityRow.source)
    )
    return {source: count for source, count in rows}


def to_activity(row: ActivityRow) -> Activity:
    """The plain record of an activity row."""
    sport: Sport = row.sport  # type: ignore[assignment]
    terrain: Terrain | None = row.terrain  # type: ignore[assignment]
    return Activity(
        sport=sport,
        start=row.start,
        duration_s=row.duration_s,
        distance_m=row.distance_m,
        terrain=terrain,
        surface=row.surface,
        pain_during=row.pain_during,
        rpe=row.rpe,
        aero_s=row.aero_s,
        source=row.source,
    )


def activities(
    session: Session, who: Person, since: datetime | None = None, until: datetime | None = None
) -> list[Activity]:
    """Activities starting in [since, until), oldest first."""
    query = select(ActivityRow).where(ActivityRow.person_id == who.id)
    if since is not None:
        query = query.where(ActivityRow.start >= since)
    if until is not None:
        query = query.where(ActivityRow.start < until)
    rows = session.scalars(query.order_by(ActivityRow.start, ActivityRow.id))
    return [to_activity(r) for r in rows]


# --- interviews --------------------------------------------------------------------------------


def add_interview(
    session: Session,
    who: Person,
    *,
    public_id: str,
    at: datetime,
    story: str,
    understood: list[dict[str, Any]],
    evidence: dict[str, dict[str, Any]],
    uncertain: list[str],
    kb_version: str,
    engine_version: str,
) -> InterviewRow:
    """Save a new interview (no answers yet)."""
    row = InterviewRow(
        public_id=public_id,
        person_id=who.id,
        created_at=at,
        updated_at=at,
        story=story,
        understood=understood,
        evidence=evidence,
        uncertain=uncertain,
        corrections={},
        kb_version=kb_version,
        engine_version=engine_version,
        revision=0,
    )
    session.add(row)
    session.flush()
    return row


def _storable(public_id: str) -> bool:
    """False for an id no interview can have: PostgreSQL refuses a NUL character in text, so such
    an id is not looked up (not found, rather than a database error)."""
    return "\x00" not in public_id


def find_interview(session: Session, who: Person, public_id: str) -> InterviewRow | None:
    """The person's interview with this id, or None (also when it is someone else's)."""
    if not _storable(public_id):
        return None
    return session.scalar(
        select(InterviewRow).where(
            InterviewRow.public_id == public_id, InterviewRow.person_id == who.id
        )
    )


# The statements on the path of every answer are built once: building a statement and its cache
# key costs about as much as running it on SQLite.
_OWNED_INTERVIEW = (
    select(InterviewRow)
    .join(Person, InterviewRow.person_id == Person.id)
    .where(Person.key == bindparam("key"), InterviewRow.public_id == bindparam("public_id"))
)
# A Core UPDATE on the table, not an ORM-enabled one: the ORM's bulk-update path works out what
# to synchronise on every call (a third of the answer's database time); the row object is told
# the new values by claim_revision itself.
_INTERVIEW = Base.metadata.tables[InterviewRow.__tablename__]
_CLAIM_REVISION = (
    update(_INTERVIEW)
    .where(_INTERVIEW.c.id == bindparam("interview"), _INTERVIEW.c.revision == bindparam("seen"))
    .values(revision=bindparam("next"), updated_at=bindparam("at"))
)
_ADD_STEP = insert(Base.metadata.tables[InterviewStepRow.__tablename__])
# A finished interview's saved result as the JSON text it is stored as: the result route sends
# it on as it is, without loading the rows or decoding and encoding again.
_PERSON = Base.metadata.tables[Person.__tablename__]
_SAVED_RESULT = (
    select(cast(_INTERVIEW.c.result, Text))
    .select_from(_INTERVIEW.join(_PERSON, _INTERVIEW.c.person_id == _PERSON.c.id))
    .where(
        _PERSON.c.key == bindparam("key"),
        _INTERVIEW.c.public_id == bindparam("public_id"),
        _INTERVIEW.c.result_revision == _INTERVIEW.c.revision,
    )
)


def find_owned_interview(session: Session, key: str, public_id: str) -> InterviewRow | None:
    """The interview with this id when its person has this key, in one query; None otherwise
    (also when it is someone else's). The person's row is not loaded (``interview.person_id``
    names it): most requests never need it."""
    if not _storable(public_id):
        return None
    return session.execute(_OWNED_INTERVIEW, {"key": key, "public_id": public_id}).scalar()


def saved_result_text(session: Session, key: str, public_id: str) -> str | None:
    """The JSON text of the result saved when the person's interview ended, if nothing changed
    since; None otherwise (also when the interview is under way, or not this person's)."""
    if not _storable(public_id):
        return None
    text = session.execute(_SAVED_RESULT, {"key": key, "public_id": public_id}).scalar()
    return None if text is None else str(text)


def interview_steps(session: Session, interview: InterviewRow) -> list[InterviewStepRow]:
    """The interview's answered questions, in order."""
    return list(
        session.scalars(
            select(InterviewStepRow)
            .where(InterviewStepRow.interview_id == interview.id)
            .order_by(InterviewStepRow.position)
        )
    )


def claim_revision(session: Session, interview: InterviewRow, *, at: datetime) -> int:
    """Move the interview to its next revision, or ConflictError when another request changed
    it since it was read (compare-and-set: of two writers, one wins)."""
    seen = interview.revision
    done = session.execute(
        _CLAIM_REVISION, {"interview": interview.id, "seen": seen, "next": seen + 1, "at": at}
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError("the interview changed meanwhile: ask for its current question")
    # What the UPDATE wrote, set as already saved: no second UPDATE at the next flush.
    set_committed_value(interview, "revision", seen + 1)
    set_committed_value(interview, "updated_at", at)
    return seen + 1


def add_interview_step(
    session: Session,
    interview: InterviewRow,
    *,
    position: int,
    question: str,
    answers: dict[str, bool | None],
    at: datetime,
) -> None:
    """Record the answers to one question (after :func:`claim_revision`).

    One INSERT statement, no ORM object: this is on the path of every answer."""
    session.execute(
        _ADD_STEP,
        {
            "interview_id": interview.id,
            "position": position,
            "revision": interview.revision,
            "question": question,
            "answers": answers,
            "created_at": at,
        },
    )


def drop_last_interview_step(session: Session, interview: InterviewRow, position: int) -> None:
    """Forget the answered question at ``position``, the last one (undo)."""
    session.execute(
        delete(InterviewStepRow).where(
            InterviewStepRow.interview_id == interview.id, InterviewStepRow.position == position
        )
    )


def interviews(session: Session, who: Person) -> list[InterviewRow]:
    """The person's interviews, oldest first."""
    return list(
        session.scalars(
            select(InterviewRow)
            .where(InterviewRow.person_id == who.id)
            .order_by(InterviewRow.created_at, InterviewRow.id)
        )
    )


# --- everything --------------------------------------------------------------------------------

PERSON_TABLES: Sequence[type[Base]] = (
    InterviewRow,  # its steps go with it (ON DELETE CASCADE)
    ActivityRow,  # before the jobs that saved them, which would otherwise set their job_id NULL
    JobRow,
    PhaseMoveRow,
    PlanRow,
    AssessmentRow,
    CheckInRow,
)


def count_rows(session: Session, who: Person | None = None) -> dict[str, int]:
    """Rows in every table but meta (of one person, or of all), to check that nothing is left."""
    counts: dict[str, int] = {}
    tables: tuple[type[Base], ...] = (Person, *PERSON_TABLES)
    for table in tables:
        query = select(func.count()).select_from(table)
        if who is not None:
            column = Person.id if table is Person else table.person_id  # type: ignore[attr-defined]
            query = query.where(column == who.id)
        counts[table.__tablename__] = int(session.scalar(query) or 0)
    steps = select(func.count()).select_from(InterviewStepRow)
    if who is not None:
        steps = steps.join(InterviewRow).where(InterviewRow.person_id == who.id)
    counts[InterviewStepRow.__tablename__] = int(session.scalar(steps) or 0)
    return counts


def forget(session: Session, who: Person) -> None:
    """Delete the person and every record of theirs."""
    for table in PERSON_TABLES:
        session.execute(delete(table).where(table.person_id == who.id))  # type: ignore[attr-defined]
    session.delete(who)
    session.flush()
