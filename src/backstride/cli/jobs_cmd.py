"""`backstride jobs`: background jobs and how far each has got."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from backstride.cli.common import console, emit_json, fail, friendly_errors
from backstride.inputs import output_path


@friendly_errors
def jobs(
    job: Annotated[
        int | None, typer.Argument(help="One job's id (default: the newest jobs).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write a finished job's file (a PDF) here.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the jobs as JSON.")] = False,
) -> None:
    """Show background jobs (imports, PDF exports): status, progress, result or error."""
    from backstride.recovery.jobs import job_output, job_status, list_jobs

    if output is not None and job is None:
        fail("--output needs a job id: backstride jobs ID --output FILE")
    if job is not None:
        found = job_status(job)
        if found is None:
            fail(f"no job {job}")
        shown = [found]
    else:
        shown = list_jobs()
    if output is not None:
        output_path(output, "--output")
        data = job_output(shown[0].id)
        if data is None:
            fail(f"job {shown[0].id} has no file to write (status: {shown[0].status})")
        output.write_bytes(data)
    if json_:
        emit_json({"jobs": [s.to_json() for s in shown]})
        return
    if not shown:
        console.print("No jobs yet.")
    for s in shown:
        progress = f"{s.done}/{s.total}" if s.total is not None else str(s.done)
        line = f"{s.id}  {s.kind}  {s.status}  {progress}  (attempt {s.attempts})"
        if s.error:
            line += f"  {s.error}"
        console.print(escape(line), highlight=False, soft_wrap=True)
    if output is not None:
        console.print(f"Wrote {escape(str(output))}.", highlight=False)
