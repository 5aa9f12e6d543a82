"""Rich rendering of assessments and questions, shared by every terminal command."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.engine.assessment import DISCLAIMER, LEVEL_ADVICE, Assessment
from backstride.engine.interview import Question
from backstride.kb import KnowledgeBase

LEVEL_STYLE = {
    "emergency": ("bold white on red", "EMERGENCY"),
    "urgent": ("bold white on dark_orange3", "URGENT"),
    "soon": ("bold black on yellow", "SOON"),
    "self_care": ("bold white on green4", "SELF-CARE"),
}
SHOW_CAUSES = 5
SHOW_EVIDENCE = 3


def triage_panel(assessment: Assessment) -> Panel:
    """The triage level, first and prominent, with its reasons."""
    level = assessment.triage.level
    style, label = LEVEL_STYLE[level]
    headline = LEVEL_ADVICE[level]
    if assessment.screen_incomplete and not any(
        r.kind != "screen" and r.level == level for r in assessment.triage.reasons
    ):
        label = f"{label}: WARNING SIGNS NOT ALL CHECKED"
        headline = "Not every warning sign has been checked, so this is not a self-care result."
    body = [Text(headline, style="bold")]
    for reason in assessment.triage.reasons[:4]:
        body.append(Text(f"• {reason.reason}"))
    return Panel(
        Group(*body), title=Text(f" {label} ", style=style), border_style=style.split()[-1]
    )


def causes_table(assessment: Assessment, kb: KnowledgeBase) -> Table:
    """The leading causes with probabilities and the answers for and against each."""
    table = Table(title="Possible causes to discuss with a clinician", show_lines=True, expand=True)
    table.add_column("Cause", ratio=2)
    table.add_column("Chance", justify="right", no_wrap=True)
    table.add_column("For (weight, source)", ratio=3)
    table.add_column("Against", ratio=3)

    def lines(contribs: tuple[object, ...]) -> str:
        out = []
        for c in contribs[:SHOW_EVIDENCE]:
            finding = getattr(c, "finding", "")
            answer = "yes" if getattr(c, "answer", False) else "no"
            src = ", ".join(getattr(c, "sources", ())) or (
                "estimate" if getattr(c, "estimate", False) else ""
            )
            label = str(finding).replace("_", " ")
            out.append(f"{label}: {answer} ({getattr(c, 'weight', 0.0):+.1f}; {src})")
        return "\n".join(out) or "-"

    for cond in assessment.conditions[:SHOW_CAUSES]:
        table.add_row(
            cond.name,
            f"{cond.probability:.0%}",
            lines(cond.evidence_for),
            lines(cond.evidence_against),
        )
    return table


def show_assessment(console: Console, assessment: Assessment, kb: KnowledgeBase) -> None:
    """Print a full result: triage first, then causes, factors, next steps and warning signs."""
    console.print(triage_panel(assessment))
    missing = assessment.triage.screen.missing
    if missing and assessment.triage.level != "emergency":
        console.print(
            f"[bold yellow]{len(missing)} warning-sign question(s) are still open[/bold yellow]"
            " (answer them in `backstride check`, the interview): "
            + "; ".join(kb.finding(f).question for f in missing)
        )
    for clash in assessment.clashes:
        console.print(f"[yellow]{clash.message()}[/yellow]")
    if assessment.triage.level != "emergency":
        console.print(causes_table(assessment, kb))
    if assessment.factors:
        console.print("[bold]Things that may be adding to it[/bold] (the plan works on these):")
        for f in assessment.factors:
            console.print(f"  • {f.name}: {f.why}")
    console.print("[bold]What to do next[/bold]")
    for step in assessment.next_steps:
        console.print(f"  • {step}")
    console.print("[bold]Seek help sooner if[/bold]")
    for item in assessment.seek_help_sooner:
        console.print(f"  • {item}")
    console.print(f"[dim]{DISCLAIMER} Questions asked: {assessment.questions_asked}.[/dim]")


def show_question(console: Console, number: int, question: Question) -> None:
    """Print a question with its help text, self-test steps and why it is asked."""
    console.print()
    console.print(f"[bold cyan]Q{number}.[/bold cyan] [bold]{question.prompt}[/bold]")
    if question.kind == "screening":
        for item in question.items:
            console.print(f"   • {item.text}")
    else:
        item = question.items[0]
        if item.help:
            console.print(f"   [dim]{item.help}[/dim]")
        if item.self_test:
            console.print("   [bold]How to check safely:[/bold]")
            for i, step in enumerate(item.self_test.steps, start=1):
                console.print(f"     {i}. {step}")
            console.print(f"     [yellow]Stop if: {item.self_test.stop_if}[/yellow]")
    console.print(f"   [italic dim]Why I ask: {question.why}[/italic dim]")
