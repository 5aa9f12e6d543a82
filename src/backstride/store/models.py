"""The database tables as typed SQLAlchemy 2 models. Only ``store`` imports this module.

Times are stored as UTC (naive in the column, aware in Python); JSON columns hold the documents
the engine and the plan produced, unchanged. Every row belongs to a person and goes with them
(``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# PostgreSQL refuses a NUL character in text and in jsonb, SQLite keeps it. So that both
# databases store the same thing (and a pasted story with a stray NUL is saved, not refused
# with a 503), every text and JSON value is stored with NUL as U+FFFD: one character for one,
# so the offsets of the words read from a story still point at the person's own words.
_NUL = "\x00"
_REPLACEMENT = "\ufffd"


def _without_nul(value: Any) -> Any:
    """The value with NUL in every string (and key) replaced; other values unchanged."""
    if isinstance(value, str):
        return value.replace(_NUL, _REPLACEMENT) if _NUL in value else value
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(v) for v in value]
    return value


class Json(TypeDecorator[Any]):
    """JSON (jsonb on PostgreSQL), stored without NUL characters."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else JSON())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return _without_nul(value)


class PlainString(TypeDecorator[str]):
    """A short string, stored without NUL characters (PlainString(64) as String(64))."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _without_nul(value)


class PlainText(TypeDecorator[str]):
    """Text, stored without NUL characters."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _without_nul(value)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime in Python, a naive UTC timestamp in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give times in UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of every table."""


def _person_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)


class Meta(Base):
    """Small facts about the database itself (e.g. that an old JSON file was imported)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(PlainString(64), primary_key=True)
    value: Mapped[str] = mapped_column(PlainText)


class Person(Base):
    """The person whose recovery this is, and their profile."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(PlainString(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    age_band: Mapped[str | None] = mapped_column(PlainString(16))
    sex: Mapped[str | None] = mapped_column(PlainString(16))
    athlete: Mapped[str | None] = mapped_column(PlainString(16))
    days_per_week: Mapped[int | None] = mapped_column(Integer)
    equipment: Mapped[list[str]] = mapped_column(Json, default=list)
    psfs_activities: Mapped[list[str]] = mapped_column(Json, default=list)
    # service mode: the account this person's records belong to (None: the local person)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), unique=True
    )

    assessments: Mapped[list[AssessmentRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )


class AssessmentRow(Base):
    """One assessment: the story, the answers, the result and the versions that made it."""

    __tablename__ = "assessment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # check, check_in, file, migrated, imported
    origin: Mapped[str] = mapped_column(PlainString(16))
    story: Mapped[str | None] = mapped_column(PlainText)
    answers: Mapped[dict[str, bool]] = mapped_column(Json)
    result: Mapped[dict[str, Any]] = mapped_column(Json)
    triage: Mapped[str] = mapped_column(PlainString(16))
    engine_version: Mapped[str] = mapped_column(PlainString(32))
    kb_version: Mapped[str] = mapped_column(PlainString(32))

    person: Mapped[Person] = relationship(back_populates="assessments")


class PlanRow(Base):
    """A plan, the settings it was made with, and the assessment it came from."""

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    settings: Mapped[dict[str, Any]] = mapped_column(Json)
    document: Mapped[dict[str, Any]] = mapped_column(Json)
    triage: Mapped[str] = mapped_column(PlainString(16))


class PhaseMoveRow(Base):
    """A change (or confirmation) of the plan's phase and walk-run step, with its reason."""

    __tablename__ = "phase_move"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    week_start: Mapped[date | None] = mapped_column(Date)
    # start, progress, hold, step_back, suspend
    decision: Mapped[str] = mapped_column(PlainString(16))
    phase: Mapped[str] = mapped_column(PlainString(32))
    step: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(PlainText)


class CheckInRow(Base):
    """A check-in (see backstride.track.model.CheckIn)."""

    __tablename__ = "checkin"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(Date, index=True)
    pain_now: Mapped[int | None] = mapped_column(Integer)
    pain_activity: Mapped[int | None] = mapped_column(Integer)
    pain_morning: Mapped[int | None] = mapped_column(Integer)
    stiffness_min: Mapped[int | None] = mapped_column(Integer)
    psfs: Mapped[list[list[Any]]] = mapped_column(Json, default=list)
    done: Mapped[list[str]] = mapped_column(Json, default=list)
    notes: Mapped[str] = mapped_column(PlainText, default="")
    signs: Mapped[dict[str, bool]] = mapped_column(Json, default=dict)
    passed: Mapped[list[str]] = mapped_column(Json, default=list)


class ActivityRow(Base):
    """A run, ride, swim or walk (see backstride.track.model.Activity)."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_person_sport_start", "person_id", "sport", "start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sport: Mapped[str] = mapped_column(PlainString(16))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_s: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    terrain: Mapped[str | None] = mapped_column(PlainString(16))
    surface: Mapped[str | None] = mapped_column(PlainString(32))
    pain_during: Mapped[int | None] = mapped_column(Integer)
    rpe: Mapped[int | None] = mapped_column(Integer)
    aero_s: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(PlainText)
    # the import job that saved it (None: entered by hand, or the job is gone), so that a job
    # run again knows its own earlier saves from activities that were there before it started
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("job.id", ondelete="SET NULL"), index=True
    )


class InterviewRow(Base):
    """An interview in progress (the web app's): the story and what was read from it, and the
    knowledge-base version it runs on. The answers are its steps, in order; the next question
    is rebuilt from them on each request, so any worker can serve it and a restart loses
    nothing. ``revision`` goes up with every change, so two writers cannot both apply one."""

    __tablename__ = "interview"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(PlainString(32), unique=True)  # the opaque id in URLs
    person_id: Mapped[int] = _person_fk()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    story: Mapped[str] = mapped_column(PlainText)
    understood: Mapped[list[dict[str, Any]]] = mapped_column(Json)  # what the reader found
    evidence: Mapped[dict[str, dict[str, Any]]] = mapped_column(Json)  # after corrections
    uncertain: Mapped[list[str]] = mapped_column(Json)
    corrections: Mapped[dict[str, str]] = mapped_column(Json)  # finding -> removed | flipped
    kb_version: Mapped[str] = mapped_column(PlainString(32))
    engine_version: Mapped[str] = mapped_column(PlainString(32))
    revision: Mapped[int] = mapped_column(Integer)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="SET NULL")
    )
    result: Mapped[dict[str, Any] | None] = mapped_column(Json)  # the result at result_revision
    result_revision: Mapped[int | None] = mapped_column(Integer)


class InterviewStepRow(Base):
    """One answered question of an interview: its answers, in the order they were given."""

    __tablename__ = "interview_step"
    __table_args__ = (UniqueConstraint("interview_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)  # the interview's revision it made
    question: Mapped[str] = mapped_column(PlainString(64))
    answers: Mapped[dict[str, bool | None]] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JobRow(Base):
    """A background job (a large import, a PDF export) and how far it has got.

    The row is the job's state, so any process can show it and any worker can pick the job up
    again: ``done`` of ``total`` steps, the step under way (``note``), then the result, the
    output bytes (a PDF) or the error. The queue that runs it (procrastinate, in PostgreSQL)
    knows the job as ``queue_id``; in local mode the job runs inline and has none.
    """

    __tablename__ = "job"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    kind: Mapped[str] = mapped_column(PlainString(16))  # import, plan_pdf
    status: Mapped[str] = mapped_column(PlainString(16))  # queued, running, done, failed
    args: Mapped[dict[str, Any]] = mapped_column(Json)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(PlainText, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(Json)
    output: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str | None] = mapped_column(PlainText)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    queue_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- service mode: accounts, sessions, sharing, audit ------------------------------------------


class Account(Base):
    """A sign-in (service mode): an email, an argon2 password hash and a role. Deleting it
    deletes its person and so every record of theirs (``ON DELETE CASCADE``)."""

    __tablename__ = "account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(PlainString(320), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(PlainText)
    role: Mapped[str] = mapped_column(PlainString(16))  # person, clinician
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuthTokenRow(Base):
    """A bearer token or a page session. Only the token's SHA-256 is kept, so a copy of the
    database signs nobody in; deleting the row ends the session at once."""

    __tablename__ = "auth_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[str] = mapped_column(PlainString(64), unique=True)
    kind: Mapped[str] = mapped_column(PlainString(16))  # bearer, session
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SignInFailureRow(Base):
    """Failed sign-ins counted per account (``email:...``) and per address (``addr:...``) in
    a fixed window: the rate limit lives in the database, shared by every web worker."""

    __tablename__ = "sign_in_failure"
    key: Mapped[str] = mapped_column(PlainString(400), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer)


class InviteRow(Base):
    """A single-use, short-lived code a person gives a clinician to share their records."""

    __tablename__ = "invite"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    digest: Mapped[str] = mapped_column(PlainString(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShareRow(Base):
    """A person shares their records with a clinician, until they revoke it (row deleted)."""

    __tablename__ = "share"
    __table_args__ = (UniqueConstraint("person_id", "clinician_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClinicianNoteRow(Base):
    """A clinician's note on a person who shared with them (the person sees it too)."""

    __tablename__ = "clinician_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(PlainText)


class AuditRow(Base):
    """Something a clinician read or changed in a person's records; the person can see it."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person_fk()
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    clinician_email: Mapped[str] = mapped_column(PlainString(320))  # as it was at the time
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(PlainString(32))
    detail: Mapped[str] = mapped_column(PlainText, default="")
