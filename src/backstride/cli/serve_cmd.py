"""`backstride serve`: the web app and JSON API on this machine."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from backstride.cli.common import console, friendly_errors
from backstride.errors import InputError

APP = "backstride.web.app:create_app"


KEEP_ALIVE_SECONDS = 75
# How uvicorn serves the app (the tests' server uses the same). No proxy headers here: the app
# believes X-Forwarded-For only from the proxies in BACKSTRIDE_FORWARDED_ALLOW_IPS
# (backstride.web.app), and uvicorn's default would believe them from 127.0.0.1. Idle keep-alive
# connections are kept longer than clients and proxies keep theirs (uvicorn's default is 5 s):
# else a request sent just as the server closes the connection fails with "connection closed"
# (seen in the load test).
SERVER_OPTIONS: dict[str, Any] = {"proxy_headers": False, "timeout_keep_alive": KEEP_ALIVE_SECONDS}


@friendly_errors
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (1-65535).")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (each serves any request).")
    ] = 1,
) -> None:
    """Start the web app: the pages for people at http://HOST:PORT and the JSON API under
    /api/v1 (documented at /docs). Records go to the same database as the other commands
    (SQLite in the data folder, or BACKSTRIDE_DATABASE_URL). Stop it with Ctrl+C."""
    if not 1 <= port <= 65535:
        raise InputError(f"--port {port} must be between 1 and 65535")
    if not 1 <= workers <= 64:
        raise InputError(f"--workers {workers} must be between 1 and 64")
    if not host.strip():
        raise InputError("--host must not be empty")
    import uvicorn

    from backstride.recovery.workspace import open_store, saved_where

    where = saved_where()  # a bad BACKSTRIDE_HOME or database URL is refused here
    # The schema is brought up to date once, here, before any worker starts.
    open_store()
    shown = f"[{host}]" if ":" in host else host
    console.print(
        f"backstride is running at http://{shown}:{port} (records: {where}). Ctrl+C stops it.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        **SERVER_OPTIONS,
    )
