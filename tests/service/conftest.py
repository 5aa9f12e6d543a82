"""A fresh PostgreSQL database per test (created and dropped on 127.0.0.1:5432, as the store
tests do): service mode, migrations and the job queue need their own, starting empty. Where the
server does not answer the tests skip with a message; with CI=true they fail instead."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backstride.recovery.workspace import close_stores
from backstride.web.settings import Settings
from tests.store.conftest import ADMIN_URL
from tests.web.conftest import LiveServer


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


@pytest.fixture
def service_server(service_env: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """The web app in service mode over real HTTP, on a migrated, empty PostgreSQL database.
    Cookies are not Secure here: the test speaks plain HTTP on loopback."""
    from backstride.service.database import upgrade_database

    monkeypatch.setenv("BACKSTRIDE_COOKIE_SECURE", "false")
    upgrade_database(service_env)
    close_stores()
    with LiveServer(Settings(mode="service")) as live:
        yield live


class Account:
    """A signed-in account, over the API with its bearer token."""

    def __init__(self, base: str, email: str, password: str = "a quiet run by the river") -> None:
        self.email, self.password = email, password
        self.http = httpx.Client(base_url=base, timeout=60)
        created = self.http.post(
            "/api/v1/auth/register", json={"email": email, "password": password}
        )
        assert created.status_code == 201, created.text
        self.sign_in()
        self.key = self.http.get("/api/v1/account").json()["person"]

    def sign_in(self) -> None:
        """A new bearer token for the client."""
        got = self.http.post(
            "/api/v1/auth/token", data={"username": self.email, "password": self.password}
        )
        assert got.status_code == 200, got.text
        assert got.json()["token_type"] == "bearer"
        self.http.headers["authorization"] = f"Bearer {got.json()['access_token']}"

    def close(self) -> None:
        """Close the HTTP client."""
        self.http.close()


def make_clinician(email: str) -> None:
    """Make an account a clinician, as the operator does (never through the web app)."""
    from backstride.service.accounts import set_role

    set_role(email, "clinician")
