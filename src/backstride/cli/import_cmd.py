"""`backstride import PATH...`: watch files, folders and zip archives (Garmin, Strava exports)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from backstride.cli.common import console, emit_json, friendly_errors
from backstride.errors import InputError


@friendly_errors
def import_files(
    paths: Annotated[
        list[Path],
        typer.Argument(help="FIT, GPX or TCX files (or .gz), folders, or zip archives."),
    ],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print a line for every file as it is done.")
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import runs, rides and swims from watch files.

    Takes single files, folders, a Garmin Connect or Strava bulk export, or a plain zip of files.
    Each file is saved as soon as it is read, so an interrupted import keeps what was done and
    running it again finishes the rest. Duplicates (same sport, start within a minute) are
    skipped; bad files are reported with the reason and the import goes on.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from backstride.ingest import FileProblem
    from backstride.ingest.sources import expand
    from backstride.recovery.activities import FileResult, import_sources
    from backstride.recovery.progress import refresh

    try:
        sources = expand(paths)
    except FileProblem as exc:
        raise InputError(str(exc)) from None
    with Progress(
        TextColumn("Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        disable=json_,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=len(sources))

        def done(result: FileResult) -> None:
            if result.problem:
                line = f"failed {result.name}: {result.problem}"
            else:
                line = f"done {result.name}: {result.added} added, {result.duplicates} duplicate"
            if verbose or (result.problem and not json_):
                bar.console.print(escape(line), highlight=False, soft_wrap=True)
                bar.console.file.flush()
            bar.update(task, advance=1, description=escape(Path(result.name).name[-40:]))

        summary = import_sources(sources, done)
    refresh()
    if json_:
        emit_json(
            {
                "files": summary.files,
                "imported": summary.imported,
                "duplicates": summary.duplicates,
                "failed": [{"file": n, "reason": r} for n, r in summary.failures],
            }
        )
        return
    console.print(
        f"Imported {summary.imported} activit{'y' if summary.imported == 1 else 'ies'} from "
        f"{summary.files} file(s); skipped {summary.duplicates} duplicate(s); "
        f"{len(summary.failures)} failed.",
        highlight=False,
    )
    for name, reason in summary.failures:
        console.print(f"  {escape(name)}: {escape(reason)}", highlight=False, soft_wrap=True)
