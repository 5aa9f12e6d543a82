"""`backstride worker`: run background jobs (imports, PDFs) from the queue in PostgreSQL."""

from __future__ import annotations

from typing import Annotated

import typer

from backstride.cli.common import friendly_errors


@friendly_errors
def worker(
    until_empty: Annotated[
        bool, typer.Option("--until-empty", help="Stop once the queue is empty.")
    ] = False,
) -> None:
    """Run background jobs (large imports, PDF exports) until stopped.

    Needs PostgreSQL (BACKSTRIDE_DATABASE_URL); start as many workers as you like, on any
    machine that reaches the database (docs/deploy.md). In service mode the settings and the
    schema are checked first. A job whose worker dies is run again by another worker; an
    import then carries on without duplicates. In local mode no worker is needed: commands
    run their jobs inline.
    """
    import logging

    from backstride.service.checks import check_service_settings
    from backstride.service.queue import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    check_service_settings()
    run_worker(until_empty=until_empty)
