"""`backstride forget`: delete everything backstride saved about the person."""

from __future__ import annotations

from typing import Annotated

import typer

from backstride.cli.common import console, fail, friendly_errors

CONFIRM_WORD = "forget"


@friendly_errors
def forget(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask: for scripts.")] = False,
) -> None:
    """Delete every assessment, plan, check-in, activity and phase change saved about you.

    It asks you to type 'forget' first (or pass --yes). Export first if you want a copy.
    """
    from backstride.recovery.exchange import forget_everything

    if not yes:
        console.print(
            "This deletes everything backstride saved about you: assessments, plans, "
            f"check-ins and activities. Type '{CONFIRM_WORD}' to go on: ",
            end="",
        )
        try:
            answer = input().strip().lower()
        except EOFError:
            answer = ""
        if answer != CONFIRM_WORD:
            fail(f"nothing was deleted (you did not type '{CONFIRM_WORD}')")
    counts = forget_everything()
    total = sum(counts.values())
    console.print(f"Deleted {total} record(s). Nothing about you is left in backstride.")
