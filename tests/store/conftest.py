"""The store tests run against SQLite and PostgreSQL.

PostgreSQL: a throwaway database is created on 127.0.0.1:5432 (user postgres, database `test`,
or ``BACKSTRIDE_TEST_POSTGRES``) for the test run and dropped at its end. Where the server does
not answer, the PostgreSQL runs skip with a message; with CI=true they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backstride.recovery.workspace import close_stores
from backstride.store import Store
from backstride.store.models import Base

ADMIN_URL = os.environ.get(
    "BACKSTRIDE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def throwaway_database(prefix: str, what: str) -> Iterator[str]:
    """Create a new PostgreSQL database at ADMIN_URL's server, yield its URL, drop it after.
    Where the server does not answer: skip with a message, or fail under CI=true (``what``
    names the tests that must run)."""
    admin = create_engine(
        ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach the server
        admin.dispose()
        message = f"PostgreSQL at {make_url(ADMIN_URL).render_as_string()} did not answer: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: the PostgreSQL {what} tests must run. " + message)
        pytest.skip(message.splitlines()[0])
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        close_stores()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped afterwards."""
    with throwaway_database("backstride_test", "store") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL: a new SQLite file, or the run's PostgreSQL database emptied after use."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        close_stores()
        return
    url: str = request.getfixturevalue("postgres_url")
    yield url
    close_stores()
    store = Store(url)
    with store.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())
    store.close()


@pytest.fixture
def use_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the library (and commands run in-process) at the test database."""
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", db_url)
    close_stores()
    return db_url
