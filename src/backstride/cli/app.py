"""The `backstride` command: a Typer app whose commands live in one module each.

Commands load lazily: `backstride --help` and each command import only what they use, so the
database, chart and watch-file libraries (and spaCy) stay out of commands that do not need them.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

try:
    from typer import _click as click  # the click that typer bundles (typer >= 0.24)
except ImportError:  # pragma: no cover - older typer uses the click package
    import click  # type: ignore[no-redef]

# name -> (module in backstride.cli, function, one-line help shown by `backstride --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("check_cmd", "check", "Screen for warning signs, ask what matters, rank causes."),
    "plan": ("plan_cmd", "plan", "Build the phased rehab and return-to-run plan."),
    "log": ("log_cmd", "log", "Log today's check-in: pain, stiffness, PSFS, exercises."),
    "run": ("run_cmd", "run", "Add a run (or walk, ride, swim) by hand."),
    "import": ("import_cmd", "import_files", "Import FIT, GPX and TCX files, folders or zips."),
    "progress": ("progress_cmd", "progress", "Where the plan stands, this week's decision, load."),
    "today": ("today_cmd", "today", "What to do today: exercises and the run with its dose."),
    "profile": ("profile_cmd", "profile", "Show or set your profile (days, equipment, PSFS)."),
    "export": ("export_cmd", "export", "Write everything saved to one JSON file."),
    "import-data": ("export_cmd", "import_data", "Read a file written by `backstride export`."),
    "forget": ("forget_cmd", "forget", "Delete everything backstride saved about you."),
    "read": ("read_cmd", "read", "Show what the story reader understands in a text."),
    "eval": ("eval_cmd", "evaluate", "Score backstride on a vignette file."),
}


class LazyCommands(TyperGroup):
    """A command group that imports a command's module only when that command runs."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, function, short = COMMANDS[cmd_name]
        if self._listing:  # `backstride --help` needs only the name and the one-line help
            return TyperCommand(cmd_name, help=short, short_help=short)
        sub = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        command = getattr(importlib.import_module(f"backstride.cli.{module}"), function)
        sub.command(cmd_name)(command)
        return typer.main.get_command(sub)

    def format_help(self, ctx: click.Context, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="backstride",
    cls=LazyCommands,
    help=(
        "Low back and buttock pain in runners and triathletes: warning-sign triage, possible "
        "causes with their evidence, and a phased plan that follows your recovery. It suggests "
        "causes to discuss with a clinician; it does not diagnose."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Low back and buttock pain in runners and triathletes."""


def main() -> None:
    """Console-script entry point."""
    app()
