"""`backstride progress`: the phase, this week's decision and why, load, and the PSFS trend."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from backstride.cli.common import console, emit_json, err_console, fail, friendly_errors
from backstride.errors import InputError

DECISION_WORDS = {
    "progress": "[green]progress[/green]",
    "hold": "[yellow]hold[/yellow]",
    "step_back": "[red]step back[/red]",
    "start": "start",
    "suspend": "[red]suspended[/red]",
    "clinician": "[magenta]set by a clinician[/magenta]",
}


def _km(metres: float | None) -> str:
    return "-" if metres is None else f"{metres / 1000:.1f} km"


def _hm(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d}"


@friendly_errors
def progress(
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Write a chart of pain over running load (.svg or .png)."),
    ] = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Weeks of load to list.")] = 6,
    json_: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Where your plan stands: the phase, this week's decision and why, your load figures and
    flags, and how your PSFS activities are going."""
    from backstride.recovery.progress import report

    fmt = chart.suffix.lower().lstrip(".") if chart else None
    if chart and fmt not in ("svg", "png"):
        raise InputError(f"--chart '{chart}' must end in .svg or .png")
    result = report()
    if result is None:
        fail("no plan yet: run `backstride check`, then `backstride plan`")
    if chart:
        from backstride.recovery.chart import render_chart

        try:
            chart.parent.mkdir(parents=True, exist_ok=True)
            chart.write_bytes(render_chart(result, fmt or "svg"))
        except OSError as exc:
            raise InputError(f"cannot write the chart to '{chart}': {exc.strerror}") from None
        (err_console if json_ else console).print(f"Wrote the chart: {escape(str(chart))}")
    if json_:
        from backstride.recovery.progress import report_json

        emit_json(report_json(result))
    else:
        _show(result, weeks)


def _show(r: Any, weeks: int) -> None:
    s = r.status
    console.rule("[bold]Your recovery[/bold]")
    console.print(f"[bold]Now:[/bold] {escape(s.rung.label)}")
    last = next((m for m in reversed(s.moves) if m.week_start and m.decision != "start"), None)
    if last is not None:
        console.print(
            f"[bold]Last week's decision:[/bold] {DECISION_WORDS.get(last.decision, last.decision)}"
            f" — {escape(last.reason)}"
        )
    if r.so_far is not None:
        console.print(
            f"[bold]This week so far:[/bold] {DECISION_WORDS[r.so_far.decision]} — "
            + escape(" ".join(r.so_far.reasons))
        )
    if s.rung.phase == "now":
        console.print(f"[red]{escape(s.note)}[/red]")
    moves = [m for m in s.moves if m.decision in ("progress", "step_back", "suspend", "clinician")]
    if moves:
        console.print("[bold]Phase changes:[/bold]")
        for m in moves:
            console.print(
                f"  {m.at.date().isoformat()} {DECISION_WORDS[m.decision]} to "
                f"{escape(m.rung.label)}"
            )
    table = Table(title="Weekly load", show_lines=False)
    for col in ("week of", "sport", "sessions", "distance", "time"):
        table.add_column(col)
    for w in r.load.weeks[-weeks * 3 :]:
        table.add_row(
            w.week.isoformat(), w.sport, str(w.count), _km(w.distance_m), _hm(w.duration_s)
        )
    if r.load.weeks:
        console.print(table)
    console.print(f"[bold]Longest run, last 30 days:[/bold] {_km(r.load.longest_30d_m)}")
    recent = r.load.flags[-5:]
    for f in recent:
        console.print(
            f"[yellow]Flag[/yellow] {f.start.date().isoformat()}: {_km(f.distance_m)}, "
            f"{round(f.longer_by * 100)}% over {_km(f.longest_before_m)} — {escape(f.label)} "
            f"(injury hazard ratio {f.hazard_ratio}, Frandsen 2025)"
        )
    if r.load.strain is not None:
        st = r.load.strain
        mono = "-" if st.monotony is None else f"{st.monotony:.2f}"
        strain = "-" if st.strain is None else f"{st.strain:.0f}"
        console.print(
            f"[bold]Session RPE this week:[/bold] load {st.load:.0f}, monotony {mono}, "
            f"strain {strain} (Foster 2001)"
        )
    ratio = r.load.acwr.ratio
    console.print(
        f"[dim]Acute:chronic ratio {'-' if ratio is None else f'{ratio:.2f}'} — "
        f"{escape(r.load.acwr.caveat)} (Impellizzeri 2020)[/dim]"
    )
    for p in r.psfs:
        console.print(
            f"[bold]PSFS[/bold] {escape(p.activity)}: {p.first} → {p.latest} "
            f"({p.first_day.isoformat()} to {p.latest_day.isoformat()})"
        )
