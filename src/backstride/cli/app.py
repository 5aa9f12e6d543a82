"""The `backstride` command: a Typer app whose commands live in one module each."""

from __future__ import annotations

import typer

from backstride.cli import check_cmd, eval_cmd, plan_cmd, read_cmd

app = typer.Typer(
    name="backstride",
    help=(
        "Low back and buttock pain in runners and triathletes: warning-sign triage, possible "
        "causes with their evidence, and a phased plan. It suggests causes to discuss with a "
        "clinician; it does not diagnose."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("check")(check_cmd.check)
app.command("eval")(eval_cmd.evaluate)
app.command("read")(read_cmd.read)
app.command("plan")(plan_cmd.plan)


def main() -> None:
    """Console-script entry point."""
    app()
