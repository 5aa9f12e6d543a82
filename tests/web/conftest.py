"""A real server for the web tests: uvicorn in a thread of the test process, spoken to over HTTP.

The server runs in this process, so each test's own BACKSTRIDE_HOME (tests/conftest.py), and
BACKSTRIDE_DATABASE_URL or BACKSTRIDE_NOW set by a test, apply to the requests it makes: every
test gets a fresh database. ``api_db`` runs a test on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from backstride.cli.serve_cmd import SERVER_OPTIONS
from backstride.web.app import create_app
from backstride.web.settings import Settings
from tests.store.conftest import db_url, postgres_url, use_db  # noqa: F401 (fixtures)


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving the app in a background thread."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings or Settings()),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            **SERVER_OPTIONS,  # as `backstride serve` runs it
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 120  # the story reader loads at start-up
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    """One server for the whole run (each test still has its own database)."""
    with LiveServer() as live:
        yield live


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client for the test server."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture
def api_db(use_db: str) -> str:  # noqa: F811
    """Run the test on SQLite and on PostgreSQL (the server reads the URL per request)."""
    return use_db
