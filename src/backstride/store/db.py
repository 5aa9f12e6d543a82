"""Opening the database: SQLite in the data folder by default, PostgreSQL when asked.

``BACKSTRIDE_DATABASE_URL`` selects another database, e.g.
``postgresql+psycopg://user@127.0.0.1:5432/backstride``. SQLite runs with WAL and foreign keys
on. The schema is brought up to date with Alembic on first use.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from backstride.errors import BackstrideError, InputError
from backstride.paths import data_home

# The Alembic revision the code expects; tests/store check it is the newest migration.
SCHEMA_VERSION = "0002"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
URL_VARIABLE = "BACKSTRIDE_DATABASE_URL"


class StoreError(BackstrideError):
    """The database could not be opened, read or written."""


class ConflictError(StoreError):
    """A record changed between reading it and writing it (another request got there first)."""


def database_url() -> str:
    """The database to use: ``BACKSTRIDE_DATABASE_URL`` or SQLite in the data folder."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    return url or f"sqlite:///{data_home() / 'backstride.db'}"


def shown_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable URL)"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL: a commit survives a crash of the program (not always a power
    # cut), at a fraction of the cost of FULL. The import commits once per file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for this URL, with SQLite's pragmas; InputError for an unusable URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(
            f"{URL_VARIABLE} '{url}' is not a database URL (e.g. "
            "postgresql+psycopg://user@127.0.0.1:5432/backstride)"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(
            f"{URL_VARIABLE}: unsupported database '{parsed.get_backend_name()}' "
            "(use sqlite or postgresql+psycopg)"
        )
    try:
        engine = create_engine(parsed)
    except (ArgumentError, ImportError) as exc:
        raise InputError(f"{URL_VARIABLE} '{shown_url(url)}': {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def current_revision(engine: Engine) -> str | None:
    """The schema version recorded in the database, or None for an empty database."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError:
            return None


def upgrade(engine: Engine) -> None:
    """Bring the schema up to the newest migration (Alembic)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class Store:
    """One database: an engine, a session factory, and the schema brought up to date."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            try:
                if current_revision(self.engine) != SCHEMA_VERSION:
                    upgrade(self.engine)
            except DBAPIError as exc:
                self.engine.dispose()
                raise StoreError(
                    f"cannot open the database {shown_url(self.url)}: {_first_line(exc)}"
                ) from None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            raise StoreError(f"database error: {_first_line(exc)}") from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig or exc).strip().splitlines()[0]
