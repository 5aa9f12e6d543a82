"""The `backstride` command: a Typer app whose commands live in one module each.

The command modules import only Typer, Rich and the standard library at start-up; each command
loads the engine, the reader or the exporters it needs when it runs, so `--help` stays fast.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from backstride.cli import (
    check_cmd,
    db_cmd,
    eval_cmd,
    export_cmd,
    findings_cmd,
    forget_cmd,
    import_cmd,
    jobs_cmd,
    log_cmd,
    plan_cmd,
    profile_cmd,
    progress_cmd,
    read_cmd,
    role_cmd,
    run_cmd,
    serve_cmd,
    today_cmd,
    worker_cmd,
)
from backstride.inputs import printable, shorten

# Click's UsageError (unknown option, missing or bad value), found through typer's public
# BadParameter: recent Typer versions carry their own copy of Click, older ones use Click itself.
USAGE_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"
)
# `backstride` alone prints the help through this subclass of UsageError (Click 8.2 and later).
NO_ARGS_IS_HELP: type[Exception] | None = getattr(
    sys.modules[USAGE_ERROR.__module__], "NoArgsIsHelpError", None
)


def usage_error(error: Exception) -> NoReturn:
    """Print a usage error as one line naming the command and the problem; exit 2."""
    if NO_ARGS_IS_HELP is not None and isinstance(error, NO_ARGS_IS_HELP):
        raise error
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "backstride"
    message = shorten(" ".join(printable(error.format_message()).split()))  # type: ignore[attr-defined]
    typer.echo(f"{command}: {message.rstrip('.')} (see '{command} --help')", err=True)
    raise typer.Exit(2)


class OneLineUsageErrors(TyperGroup):
    """Typer's group, with usage errors as one plain line instead of a multi-line box."""

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        """Parse the group's own options; a usage error becomes one line."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except USAGE_ERROR as error:
            usage_error(error)

    def invoke(self, ctx: Any) -> Any:
        """Find and run the command (parsing its options); a usage error becomes one line."""
        try:
            return super().invoke(ctx)
        except USAGE_ERROR as error:
            usage_error(error)


app = typer.Typer(
    name="backstride",
    cls=OneLineUsageErrors,
    help=(
        "Low back and buttock pain in runners and triathletes: warning-sign triage, possible "
        "causes with their evidence, and a phased plan that follows your recovery. It suggests "
        "causes to discuss with a clinician; it does not diagnose."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: Typer's Rich help layout costs more start-up time than the whole rest of
    # `backstride --help` (issue 10 asks for a fast start).
    rich_markup_mode=None,
)
app.command("check")(check_cmd.check)
app.command("eval")(eval_cmd.evaluate)
app.command("read")(read_cmd.read)
app.command("plan")(plan_cmd.plan)
app.command("findings")(findings_cmd.findings)
app.command("log")(log_cmd.log)
app.command("run")(run_cmd.run)
app.command("import")(import_cmd.import_files)
app.command("progress")(progress_cmd.progress)
app.command("today")(today_cmd.today)
app.command("profile")(profile_cmd.profile)
app.command("export")(export_cmd.export)
app.command("import-data")(export_cmd.import_data)
app.command("forget")(forget_cmd.forget)
app.command("serve")(serve_cmd.serve)
app.command("jobs")(jobs_cmd.jobs)
app.command("worker")(worker_cmd.worker)
app.command("role")(role_cmd.role)

db_app = typer.Typer(
    name="db",
    cls=OneLineUsageErrors,
    help="The database's schema: `db upgrade` at deploy, `db current` to see where it stands.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
db_app.command("upgrade")(db_cmd.upgrade)
db_app.command("current")(db_cmd.current)
app.add_typer(db_app)


def main() -> None:
    """Console-script entry point."""
    app()
