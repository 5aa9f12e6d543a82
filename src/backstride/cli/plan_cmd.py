"""`backstride plan`: build the phased plan from an assessment, show it, and export it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, get_args

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.cli.common import console, emit_json, err_console, fail, friendly_errors
from backstride.errors import InputError
from backstride.inputs import output_path, parse_answers, printable, read_json
from backstride.plan.equipment import KNOWN_EQUIPMENT, parse_equipment

if TYPE_CHECKING:  # the plan machinery (and fpdf for --pdf) loads only when the command runs
    from backstride.plan.exercises import ExerciseLibrary
    from backstride.plan.model import Plan

__all__ = ["KNOWN_EQUIPMENT", "parse_equipment", "plan"]
LEVEL_STYLE = {
    "self_care": "bold white on green",
    "soon": "bold black on yellow",
    "urgent": "bold white on dark_orange3",
    "emergency": "bold white on red",
}
KIND_STYLE = {
    "stop": "bold red",
    "advice": "cyan",
    "exercise": "green",
    "run": "blue",
    "ride": "blue",
}


def parse_start(value: str | None) -> date:
    """The start date for the calendar (YYYY-MM-DD), today when not given."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--start '{value}' is not a date like 2025-03-31") from None


def render_summary(plan: Plan, out: Console) -> None:
    """The plan on one page (one screen): level, this phase, this week, today's run, help."""
    from backstride.plan.export.common import plan_summary

    s = plan_summary(plan)
    banner = [Text(s.meaning)] + [Text(f"• {r}") for r in s.reasons]
    out.print(
        Panel(
            Group(*banner),
            title=Text(f" {s.headline} ", style=LEVEL_STYLE[plan.triage]),
            title_align="left",
            border_style=LEVEL_STYLE[plan.triage].split(" on ")[-1],
        )
    )
    if s.causes:
        names = "; ".join(c.name for c in s.causes)
        out.print(Text.assemble((f"{s.causes_label}: ", "bold"), names))
    if s.first:
        out.print(Text.assemble(("First: ", "bold red"), s.first))
    out.print(Text.assemble(("Now: ", "bold"), (s.phase_title, "bold")))
    out.print(Text.assemble(("  Goal: ", "bold"), s.goal))
    if plan.exercise_plan:
        out.print(Text.assemble(("  Move on when: ", "bold"), s.exit))
    if s.week:
        out.print(Text("This week:", style="bold"))
        for name, dose in s.week:
            out.print(Text.assemble("  • ", (name, "bold"), f" — {dose}" if dose else ""))
    out.print(Text.assemble(("Today's run: ", "bold"), s.running))
    out.print(Text("Get help sooner if:", style="bold red"))
    for line in s.help:
        out.print(f"  • {escape(line)}")


def render_detail(plan: Plan, out: Console) -> None:
    """The full plan after the summary: each phase, each item with why and sources, once."""
    from backstride.plan.export.common import (
        cite_line,
        factor_line,
        phase_detail,
        setting_line,
        shown_causes,
    )

    out.rule("[bold]The full plan[/bold]", align="left")
    if plan.exercise_plan:
        out.print(setting_line(plan))
    if factors := factor_line(plan):
        out.print(factors)
    for cause in shown_causes(plan)[1]:
        if cause.why:
            out.print(f"Why we think it may be {escape(cause.name)}: {escape(cause.why)}.")
    for view in phase_detail(plan):
        phase = view.phase
        out.rule(f"[bold]{escape(view.title)}[/bold]", align="left", style="dim")
        out.print(f"[italic]{escape(phase.goal)}[/italic]")
        out.print(f"[bold]Start when:[/bold] {escape(phase.entry)}")
        out.print(f"[bold]Move on when:[/bold] {escape(phase.exit)}")
        out.print(f"[bold]Running:[/bold] {escape(phase.running.text)}")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=8, no_wrap=True)
        grid.add_column(ratio=1)
        for item in view.items:
            head = Text(item.name, style="bold")
            if item.dose:
                head.append(f" — {item.dose}", style="not bold")
            body: list[Text] = [head]
            if item.details and item.kind in ("advice", "run"):
                body.append(Text(item.details))
            body.append(Text(f"Why: {item.why} ({cite_line(item.sources)})", style="dim"))
            grid.add_row(Text(item.kind.upper(), style=KIND_STYLE[item.kind]), Group(*body))
        out.print(grid)
        if view.kept:
            out.print(f"[bold]Keep doing:[/bold] {escape(', '.join(view.kept))}")
    if plan.seek_help_causes:
        out.rule("[bold]Also get help if[/bold]", align="left", style="dim")
        for line in plan.seek_help_causes:
            out.print(f"  • {escape(line)}")
    if plan.notes:
        out.rule("[bold]Notes[/bold]", align="left", style="dim")
        for note in plan.notes:
            out.print(f"  • {escape(note)}")


def render_sources(plan: Plan, library: ExerciseLibrary, out: Console) -> None:
    """The sources the plan cites, as short citations (author, year, title)."""
    from backstride.explain import short_citation
    from backstride.plan.export.common import plan_sources

    out.rule("[bold]Sources[/bold]", align="left", style="dim")
    for _, source in plan_sources(plan, library):
        if source is not None:
            out.print(f"  • {escape(short_citation(source))}", style="dim")


def render_terminal(plan: Plan, library: ExerciseLibrary, out: Console) -> None:
    """The plan for people, in the terminal: the one-page summary first, then the detail."""
    render_summary(plan, out)
    render_detail(plan, out)
    render_sources(plan, library, out)
    out.print(f"[dim]{escape(plan.disclaimer)}[/dim]")


def _write(path: Path, data: bytes | str, what: str, to_stderr: bool) -> None:
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot write {what} to '{printable(str(path))}': {exc.strerror or exc}"
        ) from None
    # one unbroken line per file, so the path can be copied
    (err_console if to_stderr else console).print(
        f"Wrote {what}: {escape(str(path))}", soft_wrap=True
    )


def _write_markdown(path: Path, plan: Plan, library: ExerciseLibrary, to_stderr: bool) -> None:
    """The Markdown file, and its figures in a folder beside it that it links to."""
    from backstride.plan.export.markdown import figure_files, figure_folder, render_markdown

    folder = figure_folder(path.name)
    files = figure_files(plan, library)
    _write(path, render_markdown(plan, library, figure_dir=folder), "Markdown", to_stderr)
    if not files:
        return
    target = path.parent / folder
    try:
        target.mkdir(exist_ok=True)
        for name, svg in files.items():
            (target / name).write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write figures to '{target}': {exc.strerror or exc}") from None
    (err_console if to_stderr else console).print(
        f"Wrote {len(files)} figures: {escape(str(target))}", soft_wrap=True
    )


@friendly_errors
def plan(
    assessment: Annotated[
        Path | None,
        typer.Option(
            "--assessment",
            help="ASSESSMENT.json printed by `backstride check --json` "
            "(default: the last saved assessment).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the plan as one JSON object (last line).")
    ] = False,
    md: Annotated[
        Path | None,
        typer.Option(
            "--md",
            help="Write the plan as Markdown (into an existing folder), with its figures as SVG "
            "files in a folder beside it (plan.md: plan-figures/).",
        ),
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a standalone HTML page with figures.")
    ] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write a PDF with figures.")] = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Write an iCalendar file of the sessions.")
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Training days a week (1-7).")] = 3,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            "--equipment",
            help="Equipment at hand, repeated or comma-separated "
            f"({', '.join(KNOWN_EQUIPMENT)}). A mat is assumed.",
        ),
    ] = None,
    athlete: Annotated[
        str | None,
        typer.Option("--athlete", help="runner or triathlete (default: from the assessment)."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day of the plan for --ics (YYYY-MM-DD).")
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print only the files written (as any export option does)."
        ),
    ] = False,
) -> None:
    """Build a phased rehab and return-to-run plan from an assessment.

    The terminal shows the plan on one page first (the level, this phase with its goal and exit
    test, this week's exercises, today's run, when to get help), then the full plan. With an
    export option (--md, --html, --pdf, --ics) or --quiet only the files written are printed.
    Export files go into folders that already exist; no folder is created.
    """
    from backstride.plan.exercises import load_exercise_library
    from backstride.plan.generator import build_plan
    from backstride.plan.model import AthleteType, PersonSettings, parse_assessment

    if not 1 <= days <= 7:
        raise InputError(f"--days {days} must be between 1 and 7")
    if athlete is not None and athlete not in get_args(AthleteType):
        raise InputError(f"--athlete '{printable(athlete)}' must be 'runner' or 'triathlete'")
    exports = {"--md": md, "--html": html, "--pdf": pdf, "--ics": ics}
    for option, target in exports.items():
        if target is not None:
            output_path(target, option)
    from backstride.recovery.assessments import record_plan, saved_assessment  # the database

    path = assessment
    saved = None if path else saved_assessment()
    if saved:
        data = saved.data
    elif path:
        data = read_json(path, "assessment", last_line=True)
    else:
        fail("no saved assessment: run `backstride check` first, or pass --assessment FILE")
    where = f"assessment '{printable(str(path))}'" if path else "the saved assessment"
    if isinstance(data, dict) and "findings" in data:
        parse_answers(data["findings"], f"{where}, field 'findings'", known=None)
    parsed = parse_assessment(data, where)
    if not parsed.findings:
        fail(
            f"{where} has no answers, so no warning sign was checked: run "
            "`backstride check` and answer the questions before making a plan"
        )
    person = PersonSettings(
        days_per_week=days,
        equipment=parse_equipment(equipment),
        athlete=athlete,  # type: ignore[arg-type]
    )
    start_day = parse_start(start)
    library = load_exercise_library()
    result = build_plan(parsed, person, library=library)
    record_plan(result, person, saved or data)

    if not (as_json or quiet or any(exports.values())):
        render_terminal(result, library, console)
    # Each export loads its own renderer (fpdf only for --pdf).
    if md:
        _write_markdown(md, result, library, as_json)
    if html:
        from backstride.plan.export.html import render_html

        _write(html, render_html(result, library), "HTML", as_json)
    if pdf:
        from backstride.plan.export.pdf import render_pdf

        _write(pdf, render_pdf(result, library, created=start_day), "PDF", as_json)
    if ics:
        from backstride.plan.export.ics import render_ics

        _write(ics, render_ics(result, start_day), "calendar", as_json)
    if as_json:
        emit_json(result.to_json())
