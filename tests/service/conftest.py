"""A fresh PostgreSQL database per test (created and dropped on 127.0.0.1:5432, as the store
tests do): service mode, migrations and the job queue need their own, starting empty. Where the
server does not answer the tests skip with a message; with CI=true they fail instead."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from backstride.recovery.workspace import close_stores
from backstride.web.settings import Settings
from tests.store.conftest import throwaway_database
from tests.web.conftest import LiveServer


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    with throwaway_database("backstride_svc", "service") as url:
        yield url


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
    """Make an account a clinician, as the operator does: `backstride role EMAIL clinician`
    (never through the web app)."""
    from typer.testing import CliRunner

    from backstride.cli.app import app

    done = CliRunner().invoke(app, ["role", email, "clinician"])
    assert done.exit_code == 0, done.output
    assert f"{email} is now a clinician." in done.output
