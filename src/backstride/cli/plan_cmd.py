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
from backstride.plan.equipment import EQUIPMENT

if TYPE_CHECKING:  # the plan machinery (and fpdf for --pdf) loads only when the command runs
    from backstride.plan.exercises import ExerciseLibrary
    from backstride.plan.model import Plan

KNOWN_EQUIPMENT: tuple[str, ...] = ("mat", *EQUIPMENT)
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


def parse_equipment(values: list[str] | None) -> frozenset[str]:
    """Equipment from repeated or comma-separated options; 'mat' is always included."""
    chosen = {"mat"}
    for value in values or []:
        for name in value.replace(",", " ").split():
            key = name.strip().lower().replace("-", "_")
            if key not in KNOWN_EQUIPMENT:
                raise InputError(
                    f"unknown equipment '{name}' (choose from: {', '.join(KNOWN_EQUIPMENT)})"
                )
            chosen.add(key)
    return frozenset(chosen)


def parse_start(value: str | None) -> date:
    """The start date for the calendar (YYYY-MM-DD), today when not given."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--start '{value}' is not a date like 2025-03-31") from None


def render_terminal(plan: Plan, out: Console) -> None:
    """The plan for people, in the terminal."""
    banner = [Text(plan.triage_meaning)]
    banner += [Text(f"• {r}") for r in plan.triage_reasons]
    out.print(
        Panel(
            Group(*banner),
            title=Text(f" {plan.triage_headline} ", style=LEVEL_STYLE[plan.triage]),
            title_align="left",
            border_style=LEVEL_STYLE[plan.triage].split(" on ")[-1],
        )
    )
    if plan.tailored_to:
        causes = ", ".join(f"{c.name} ({round(c.probability * 100)}%)" for c in plan.tailored_to)
        out.print(f"[bold]Tailored to:[/bold] {escape(causes)}")
    if plan.factors:
        out.print(
            "[bold]Contributing factors:[/bold] " + escape(", ".join(plan.factor_names).lower())
        )
    out.print(
        f"[bold]For:[/bold] {plan.athlete}, {plan.days_per_week} day(s) a week, "
        f"equipment: {escape(', '.join(plan.equipment))}"
    )
    if plan.running_stopped:
        out.print(
            "[bold red]Running is paused[/bold red] until the return-to-run phase's "
            "entry criteria are met."
        )
    for n, phase in enumerate(plan.phases, start=1):
        title = (
            phase.name
            if phase.id == "now"
            else (f"Phase {n}: {phase.name} (about {phase.duration_text()})")
        )
        out.rule(f"[bold]{escape(title)}[/bold]", align="left")
        out.print(f"[italic]{escape(phase.goal)}[/italic]")
        out.print(f"[bold]Start when:[/bold] {escape(phase.entry)}")
        out.print(f"[bold]Move on when:[/bold] {escape(phase.exit)}")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=8, no_wrap=True)
        grid.add_column(ratio=1)
        for item in phase.items:
            head = Text(item.name, style="bold")
            if item.dose:
                head.append(f" — {item.dose}", style="not bold")
            body: list[Text] = [head]
            if item.details and item.kind in ("stop", "advice", "run"):
                body.append(Text(item.details))
            body.append(Text(f"Why: {item.why}", style="dim"))
            body.append(Text("Sources: " + ", ".join(item.sources), style="dim"))
            grid.add_row(Text(item.kind.upper(), style=KIND_STYLE[item.kind]), Group(*body))
            grid.add_row("", "")
        out.print(grid)
    if plan.notes:
        out.print(Panel("\n".join(escape(n) for n in plan.notes), title="Notes"))
    out.print(
        Panel(
            "\n".join(f"• {escape(s)}" for s in plan.seek_help),
            title="[bold]Get help sooner if[/bold]",
            border_style="red",
        )
    )
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
    (err_console if to_stderr else console).print(f"Wrote {what}: {escape(str(path))}")


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
        f"Wrote {len(files)} figures: {escape(str(target))}"
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
) -> None:
    """Build a phased rehab and return-to-run plan from an assessment.

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

    if not as_json:
        render_terminal(result, console)
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
