"""A fresh PostgreSQL database per test (created and dropped on 127.0.0.1:5432, as the store
tests do): service mode, migrations and the job queue need their own, starting empty. Where the
server does not answer the tests skip with a message; with CI=true they fail instead."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backstride.recovery.workspace import close_stores
from tests.store.conftest import ADMIN_URL


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    admin = create_engine(
        ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"backstride_svc_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach the server
        admin.dispose()
        message = f"PostgreSQL at {make_url(ADMIN_URL).render_as_string()} did not answer: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: the PostgreSQL service tests must run. " + message)
        pytest.skip(message.splitlines()[0])
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        close_stores()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def service_env(empty_postgres: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Service mode on an empty PostgreSQL database, with a secret key; returns the URL."""
    monkeypatch.setenv("BACKSTRIDE_MODE", "service")
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", empty_postgres)
    monkeypatch.setenv("BACKSTRIDE_SECRET_KEY", "s" * 48)
    close_stores()
    return empty_postgres
