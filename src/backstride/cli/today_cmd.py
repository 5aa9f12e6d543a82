"""`backstride today`: today's exercises and run, from the current phase and days a week."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from backstride.cli.common import console, emit_json, fail, friendly_errors


@friendly_errors
def today(
    json_: Annotated[bool, typer.Option("--json", help="Print today's session as JSON.")] = False,
) -> None:
    """What to do today: the current phase's exercises on your training days, and the run with
    its dose on run days. No run is given before the return-to-run phase."""
    from backstride.recovery.today import WEEKDAY_NAMES, today_plan

    t = today_plan()
    if t is None:
        fail("no plan yet: run `backstride check`, then `backstride plan`")
    if json_:
        from backstride.recovery.today import today_json

        emit_json(today_json(t))
        return
    console.rule(f"[bold]{WEEKDAY_NAMES[t.day.weekday()]} {t.day.isoformat()}[/bold]")
    console.print(f"[bold]Plan:[/bold] {escape(t.rung.label)}")
    for item in t.stop:
        console.print(
            f"[bold red]STOP[/bold red] {escape(item['name'])}: {escape(item.get('details', ''))}"
        )
    if t.suspended:
        console.print("Your plan is suspended until a doctor has seen you.")
        return
    if not t.training_day:
        console.print("Rest day: keep moving with easy walks.")
    for item in t.exercises:
        console.print(f"[green]•[/green] {escape(item['name'])} — {escape(item.get('dose', ''))}")
    if t.run is not None:
        console.print(
            f"[blue]RUN[/blue] {escape(t.run['name'])}: {escape(t.run.get('details', ''))} "
            f"({escape(t.run.get('dose', ''))}). Log the pain during it."
        )
    elif t.training_day:
        console.print("No run today.")
    if t.next_training_day and not t.training_day:
        console.print(
            f"Next session: {WEEKDAY_NAMES[t.next_training_day.weekday()]} "
            f"{t.next_training_day.isoformat()}."
        )
