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
    background: Annotated[
        bool,
        typer.Option(
            "--background",
            help="Queue the import for `backstride worker` (PostgreSQL) and print its job id.",
        ),
    ] = False,
) -> None:
    """Import runs, rides and swims from watch files.

    Takes single files, folders, a Garmin Connect or Strava bulk export, or a plain zip of files.
    Each file is saved as soon as it is read, so an interrupted import keeps what was done and
    running it again finishes the rest. Duplicates (same sport, start within a minute) are
    skipped; bad files are reported with the reason and the import goes on. With --background
    the import runs as a job in a worker (`backstride jobs` shows its progress).
    """
    from backstride.recovery.jobs import create_inline_job, import_args, run_job

    args = import_args(paths)
    if background:
        from backstride.service.queue import enqueue

        job_id = enqueue("import", args)
        if json_:
            emit_json({"job": job_id})
        else:
            console.print(
                f"Queued import job {job_id}: `backstride jobs {job_id}` shows its progress.",
                highlight=False,
            )
        return

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from backstride.recovery.activities import FileResult

    with Progress(
        TextColumn("Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        disable=json_,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def done(result: FileResult) -> None:
            if result.problem:
                line = f"failed {result.name}: {result.problem}"
            else:
                line = f"done {result.name}: {result.added} added, {result.duplicates} duplicate"
            if verbose or (result.problem and not json_):
                bar.console.print(escape(line), highlight=False, soft_wrap=True)
                bar.console.file.flush()
            bar.update(task, advance=1, description=escape(Path(result.name).name[-40:]))

        # The same job function a worker runs, here inline with the progress bar.
        status = run_job(
            create_inline_job("import", args),
            on_file=done,
            total=lambda n: bar.update(task, total=n),
        )
    if status.status != "done" or status.result is None:
        raise InputError(status.error or "the import failed")
    summary = status.result
    if json_:
        emit_json(summary)
        return
    imported, failures = summary["imported"], summary["failed"]
    console.print(
        f"Imported {imported} activit{'y' if imported == 1 else 'ies'} from "
        f"{summary['files']} file(s); skipped {summary['duplicates']} duplicate(s); "
        f"{len(failures)} failed.",
        highlight=False,
    )
    for failure in failures:
        console.print(
            f"  {escape(failure['file'])}: {escape(failure['reason'])}",
            highlight=False,
            soft_wrap=True,
        )
