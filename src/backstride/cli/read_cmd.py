"""`backstride read "TEXT"`: show what the free-text reader understood from a story."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from backstride.cli.common import console, emit_json, friendly_errors
from backstride.errors import InputError


def _today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--today must be a date like 2025-03-01, not '{value}'") from None


def _answer(present: bool, uncertain: bool) -> str:
    if uncertain:
        return "unsure (ask)"
    return "yes" if present else "no"


@friendly_errors
def read(
    text: Annotated[
        str, typer.Argument(help="The story in the person's own words; '-' reads standard input.")
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (shared/contract/cli.md).")
    ] = False,
    today: Annotated[
        str | None,
        typer.Option(help="The date that 'since August' counts from (YYYY-MM-DD); default today."),
    ] = None,
) -> None:
    """Show each finding read from a story: yes or no, the words it came from, and its context."""
    from backstride.reader import read_story  # the pipeline is heavy: load it only when used

    if text == "-":
        # Bytes that are not UTF-8 are read as U+FFFD rather than stopping the command.
        text = sys.stdin.buffer.read().decode("utf-8", "replace")
    reading = read_story(text, today=_today(today))
    evidence = reading.evidence()
    if json_output:
        out: dict[str, Any] = {
            "findings": [m.as_json() for m in reading.mentions],
            "messages": list(reading.messages),
            "evidence": evidence.as_dict(),
            "ask_early": list(reading.uncertain_ids()),
            "truncated": reading.truncated,
        }
        emit_json(out)
        return
    for message in reading.messages:
        console.print(message, markup=False, highlight=False)
    if not reading.mentions:
        return
    table = Table(title="From your story I understood", title_justify="left")
    table.add_column("Finding", overflow="fold")
    table.add_column("Answer")
    table.add_column("Your words")
    table.add_column("Context")
    for m in reading.mentions:
        context = ", ".join(m.context) or "-"
        if not m.is_answer and not m.uncertain:
            context += " (not counted)"
        table.add_row(
            m.id, _answer(m.present, m.uncertain), f"{m.text!r} [{m.start}:{m.end}]", context
        )
    console.print(table)
    ask = reading.uncertain_ids()
    counted = len(evidence)
    console.print(
        f"{counted} finding{'s' if counted != 1 else ''} counted as answers"
        + (f"; to ask early: {', '.join(ask)}" if ask else ""),
        markup=False,
        highlight=False,
    )
