"""`backstride findings`: every finding id with its question, for writing a --facts file."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from backstride.cli.common import console, emit_json, friendly_errors

RED_FLAG_MARK = "!"


@friendly_errors
def findings(
    json_: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (the last line).")
    ] = False,
) -> None:
    """List every finding id with its question, category and a mark for warning signs.

    A facts file for `backstride check --facts` is a JSON object of these ids, each true or
    false, e.g. {"pain_buttock": true, "saddle_numbness": false}.
    """
    from backstride.kb import default_knowledge_base

    kb = default_knowledge_base()
    rows: list[dict[str, Any]] = [
        {"id": f.id, "question": f.question, "category": f.category, "red_flag": f.red_flag}
        for f in kb.findings
    ]
    if json_:
        emit_json({"findings": rows})
        return
    table = Table(
        title=f"{len(rows)} findings ({RED_FLAG_MARK} = warning sign)",
        title_justify="left",
        show_lines=False,
    )
    table.add_column("Id", no_wrap=True)
    table.add_column(RED_FLAG_MARK, justify="center", style="bold red")
    table.add_column("Category")
    table.add_column("Question", overflow="fold")
    for row in rows:
        table.add_row(
            row["id"], RED_FLAG_MARK if row["red_flag"] else "", row["category"], row["question"]
        )
    console.print(table)
    console.print(
        'Use them in a facts file: {"pain_buttock": true, "saddle_numbness": false}',
        markup=False,
        highlight=False,
    )
