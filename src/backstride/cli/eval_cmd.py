"""`backstride eval FILE.jsonl`: score the engine on vignettes (shared/contract/vignettes.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from backstride.cli.common import console, emit_json, err_console, friendly_errors
from backstride.errors import InputError
from backstride.inputs import printable

SHOW_FAILURES = 15


@friendly_errors
def evaluate(
    file: Annotated[Path, typer.Argument(help="Vignette file (JSON Lines).")],
    mode: Annotated[
        str,
        typer.Option(
            help="story: read the story only; interview: story then questions "
            "answered from the facts; full: all facts at once."
        ),
    ] = "interview",
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run every vignette and print top-1, top-3, triage and question counts."""
    from rich.progress import Progress

    from backstride.api import read_story_evidence
    from backstride.evaluation import vignettes as ev
    from backstride.evaluation.calibration import calibration
    from backstride.kb import default_knowledge_base

    if mode not in ev.MODES:
        raise InputError(f"--mode must be one of {', '.join(ev.MODES)}, not '{printable(mode)}'")
    kb = default_knowledge_base()
    vignettes = ev.load_vignettes(file, kb)
    with Progress(console=err_console, transient=True, disable=json_) as bar:
        task = bar.add_task(f"{mode} mode", total=len(vignettes))
        report = ev.evaluate(
            vignettes,
            mode,
            kb,
            read_story_evidence,
            progress=lambda i: bar.update(task, completed=i),
        )
    summary = report.as_dict()
    cal = calibration(report.results)
    summary["brier"], summary["ece"] = round(cal.brier, 4), round(cal.ece, 4)
    summary["calibration"] = cal.as_dict()
    if json_:
        emit_json(summary)
        return
    table = Table(title=f"{file.name}: {mode} mode")
    for key in (
        "cases",
        "top1",
        "top3",
        "triage_exact",
        "triage_under",
        "serious_under",
        "triage_over",
        "over_by_open_screen",
        "questions_median",
        "questions_mean",
        "brier",
        "ece",
        "ms_per_case",
    ):
        table.add_row(key, str(summary[key]))
    console.print(table)
    fails = summary["failures"]
    if fails:
        console.print(f"[bold]{len(fails)} vignette(s) not top-3 or not triaged exactly[/bold]")
        for f in fails[:SHOW_FAILURES]:
            console.print(f"  {f['id']}: expected {f['expected']} got {f['got']}")
