"""`backstride db upgrade` and `backstride db current`: the database's schema at deploy."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import console, emit_json, friendly_errors

if TYPE_CHECKING:  # the database machinery loads only when a command runs
    from backstride.service.database import DatabaseState

JSON_OPTION = typer.Option("--json", help="Print the state as JSON.")


def _line(state: DatabaseState) -> str:
    queue = f"; job queue schema {state.queue_schema}" if state.queue_schema else ""
    return f"schema {state.revision or 'empty'} (the code needs {state.head}){queue}"


def _json(state: DatabaseState) -> dict[str, object]:
    return {**asdict(state), "up_to_date": state.up_to_date}


@friendly_errors
def upgrade(json_: Annotated[bool, JSON_OPTION] = False) -> None:
    """Apply the database migrations not yet applied (run it at deploy, before the web app and
    the workers start; safe to run again). Local mode also migrates when the database opens;
    service mode never does."""
    from backstride.service.database import upgrade_database

    before, after = upgrade_database()
    if json_:
        emit_json({"before": _json(before), "after": _json(after)})
        return
    if before.up_to_date:
        console.print(
            f"Database {after.url}: up to date, {_line(after)}.", highlight=False, soft_wrap=True
        )
    else:
        console.print(
            f"Database {after.url}: upgraded from schema {before.revision or 'empty'} to "
            f"{_line(after)}.",
            highlight=False,
            soft_wrap=True,
        )


@friendly_errors
def current(json_: Annotated[bool, JSON_OPTION] = False) -> None:
    """Show the database's schema version and whether migrations are waiting."""
    from backstride.service.database import database_state

    state = database_state()
    if json_:
        emit_json(_json(state))
        return
    verdict = (
        "up to date" if state.up_to_date else "migrations waiting: run `backstride db upgrade`"
    )
    console.print(
        f"Database {state.url}: {_line(state)}: {verdict}.", highlight=False, soft_wrap=True
    )
