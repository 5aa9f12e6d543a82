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
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from backstride.errors import BackstrideError, InputError
from backstride.paths import data_home

# The Alembic revision the code expects; tests/store check it is the newest migration.
SCHEMA_VERSION = "0005"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
URL_VARIABLE = "BACKSTRIDE_DATABASE_URL"


class StoreError(BackstrideError):
    """The database could not be opened, read or written."""


class ConflictError(StoreError):
    """A record changed between reading it and writing it (another request got there first)."""


def database_url() -> str:
    """The database to use: ``BACKSTRIDE_DATABASE_URL`` or SQLite in the data folder.

    Read straight from the environment, like ``service_mode``: the local path loads no pydantic
    (the variables are declared and documented in backstride.settings)."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    return url or f"sqlite:///{data_home() / 'backstride.db'}"


def service_mode() -> bool:
    """True when ``BACKSTRIDE_MODE`` is ``service``. The default (unset or ``local``) is read
    without loading the settings class, so that local commands start fast; any other value goes
    through the class, which refuses a bad one with a message naming the variable."""
    raw = os.environ.get("BACKSTRIDE_MODE", "").strip()
    if raw in ("", "local"):
        return False
    from backstride.settings import settings

    return settings().mode == "service"


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


def pool_options(backend: str) -> dict[str, Any]:
    """The connection pool from the settings (PostgreSQL; SQLite keeps SQLAlchemy's own).

    ``pool_pre_ping`` tests a connection before handing it out, so a restarted PostgreSQL
    costs the requests that were under way, not a restart of the app.
    """
    if backend != "postgresql":
        return {}
    from backstride.settings import settings

    config = settings()
    return {
        "pool_size": config.pool_size,
        "max_overflow": config.pool_max_overflow,
        "pool_timeout": config.pool_timeout_seconds,
        "pool_recycle": config.pool_recycle_seconds,
        "pool_pre_ping": True,
    }


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
        engine = create_engine(parsed, **pool_options(parsed.get_backend_name()))
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


def schema_revision(url: str) -> str | None:
    """The schema version of the database at ``url`` (None: empty), without changing it;
    StoreError when it cannot be reached."""
    engine = make_engine(url)
    try:
        return current_revision(engine)
    except DBAPIError as exc:
        raise StoreError(f"cannot open the database {shown_url(url)}: {_first_line(exc)}") from None
    finally:
        engine.dispose()


def pending_message(url: str, at: str | None) -> str:
    """One line: the database's schema is behind the code's, and what to run."""
    return (
        f"the database {shown_url(url)} has unapplied migrations (schema "
        f"{at or 'empty'}, the code needs {SCHEMA_VERSION}): run `backstride db upgrade`"
    )


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
    """One database: an engine, a session factory, and a schema that is up to date.

    ``migrate`` says what to do with an older schema: True brings it up to date (local mode,
    where one person runs one process), None follows ``BACKSTRIDE_MODE`` (local: migrate;
    service: refuse with a message to run ``backstride db upgrade``, because migrations are
    applied once at deploy, not by whichever of N processes opens the database first), and
    False opens it as it is (``backstride db`` itself).
    """

    def __init__(self, url: str | None = None, *, migrate: bool | None = None) -> None:
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate is None:
            migrate = not service_mode()
            check = not migrate
        else:
            check = False
        try:
            if migrate and current_revision(self.engine) != SCHEMA_VERSION:
                upgrade(self.engine)
            elif check:
                at = current_revision(self.engine)
                if at != SCHEMA_VERSION:
                    raise StoreError(pending_message(self.url, at))
        except DBAPIError as exc:
            self.engine.dispose()
            raise StoreError(
                f"cannot open the database {shown_url(self.url)}: {_first_line(exc)}"
            ) from None
        except StoreError:
            self.engine.dispose()
            raise

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
        except PoolTimeout:
            session.rollback()
            raise StoreError(
                "the database is busy (every connection in use): try again in a moment"
            ) from None
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
