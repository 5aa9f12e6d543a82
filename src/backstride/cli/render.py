"""Rich rendering of results and questions, shared by the terminal commands.

A result reads top down: the level and the one thing to do now, what it means for running, up to
three possible causes in everyday words with why we think so, when to get help, then the next
step and where the result was saved. Numbers, log-likelihoods and sources wait for --details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.engine.assessment import DISCLAIMER, Assessment
from backstride.engine.inference import Contribution
from backstride.engine.interview import Question
from backstride.explain import (
    causes_in_words,
    cite,
    do_now,
    join_words,
    level_reasons,
    plain,
    short_citation,
)
from backstride.kb import KnowledgeBase

if TYPE_CHECKING:
    from backstride.plan.model import Plan

LEVEL_STYLE = {
    "emergency": ("bold white on red", "EMERGENCY"),
    "urgent": ("bold white on dark_orange3", "URGENT"),
    "soon": ("bold black on yellow", "SOON"),
    "self_care": ("bold white on green4", "SELF-CARE"),
}
SHOW_REASONS = 2
DETAIL_CAUSES = 5
DETAIL_EVIDENCE = 4
NEXT_STEP = "backstride plan"


def level_panel(
    assessment: Assessment, plan: Plan, kb: KnowledgeBase, *, interviewed: bool
) -> Panel:
    """The level in plain words, the one thing to do now, and what set the level."""
    style, label = LEVEL_STYLE[plan.triage]
    body = [Text(plan.triage_headline, style="bold")]
    body.append(
        Text.assemble(("Do now: ", "bold"), do_now(assessment, plan, kb, interviewed=interviewed))
    )
    for reason in level_reasons(assessment, plan, kb)[:SHOW_REASONS]:
        body.append(Text(f"• {reason}"))
    return Panel(
        Group(*body), title=Text(f" {label} ", style=style), border_style=style.split()[-1]
    )


def show_causes(console: Console, assessment: Assessment, kb: KnowledgeBase) -> None:
    """Up to three causes in everyday words, each with why we think so and the strongest
    answer against; at urgent or emergency only what a warning sign points to."""
    if not assessment.evidence:
        console.print("\nWith no answers, no cause can be singled out.")
        return
    causes = causes_in_words(assessment, kb)
    if not causes:
        return
    urgent = assessment.triage.level in ("urgent", "emergency")
    title = (
        "What the warning sign points to"
        if urgent
        else "Possible causes to discuss with a clinician"
    )
    console.print(f"\n[bold]{title}[/bold]")
    for n, cause in enumerate(causes, start=1):
        console.print(f" {n}. [bold]{escape(cause.name)}[/bold]")
        console.print(f"    Why we think so: {escape(cause.why())}.")
        against = cause.against()
        if against:
            console.print(f"    Against it: {escape(against)}.")


def _evidence_lines(contribs: tuple[Contribution, ...], kb: KnowledgeBase) -> str:
    lines = []
    for c in contribs[:DETAIL_EVIDENCE]:
        source = cite(c.sources, kb, estimate=c.estimate)
        lines.append(f"{kb.wording.phrase(c.finding, c.answer)} ({c.weight:+.1f}; {source})")
    return "\n".join(lines) or "-"


def show_details(console: Console, assessment: Assessment, kb: KnowledgeBase) -> None:
    """The numbers behind the result: every reason, the chances, each answer's weight (its
    natural-log likelihood ratio) with its sources, and the factors."""
    console.print("\n[bold]Details[/bold]")
    for reason in assessment.triage.reasons:
        console.print(f"  • [{reason.level}] {escape(plain(reason.reason, kb))}")
    table = Table(show_lines=True, expand=True)
    table.add_column("Cause", ratio=2)
    table.add_column("Chance", justify="right", no_wrap=True)
    table.add_column("For (weight; source)", ratio=3)
    table.add_column("Against (weight; source)", ratio=3)
    for cond in assessment.conditions[:DETAIL_CAUSES]:
        table.add_row(
            f"{kb.wording.name(cond.id)}\n[dim]{escape(cond.name)}[/dim]",
            f"{cond.probability:.0%}",
            escape(_evidence_lines(cond.evidence_for, kb)),
            escape(_evidence_lines(cond.evidence_against, kb)),
        )
    console.print(table)
    console.print(
        "[dim]Weight: how strongly an answer points to the cause (natural log of the likelihood "
        "ratio; +0.7 doubles the odds, -0.7 halves them).[/dim]"
    )
    for f in assessment.factors:
        console.print(f"  • {escape(f.name)}: {escape(f.why)}")
    shown = dict.fromkeys(s for c in assessment.conditions[:DETAIL_CAUSES] for s in c.sources)
    if shown:
        console.print("[bold]Sources[/bold]")
        for sid in shown:
            if sid in kb.sources:
                console.print(f"  • {escape(short_citation(kb.sources[sid]))}")
    console.print(f"Questions asked: {assessment.questions_asked}.")


def show_result(
    console: Console,
    assessment: Assessment,
    kb: KnowledgeBase,
    plan: Plan,
    *,
    saved: str | None,
    interviewed: bool = False,
    details: bool = False,
) -> None:
    """A whole result for people: level and what to do now, running, causes, when to get
    help, then the next step and where the result was saved (``saved`` None: not saved)."""
    console.print(level_panel(assessment, plan, kb, interviewed=interviewed))
    console.print(Text.assemble(("Running: ", "bold"), plan.phases[0].running.text))
    for clash in assessment.clashes:
        console.print(f"[yellow]{escape(clash.message())}[/yellow]")
    show_causes(console, assessment, kb)
    if assessment.factors:
        names = join_words([f.name.lower() for f in assessment.factors])
        console.print(
            f"\n[bold]Things that may be adding to it:[/bold] {escape(names)} "
            "(the plan works on these)."
        )
    console.print("\n[bold]Get help sooner if[/bold]")
    for line in (*plan.seek_help, *plan.seek_help_causes):
        console.print(f"  • {escape(line)}")
    if details:
        show_details(console, assessment, kb)
    console.print()
    if saved is not None:
        console.print(
            f"[bold]Your plan:[/bold] `{NEXT_STEP}` (add --pdf plan.pdf for a copy to print)"
        )
        # one unbroken line, so the path can be copied
        console.print(f"[bold]Saved to:[/bold] {escape(str(saved))}", soft_wrap=True)
    elif not assessment.evidence and interviewed:
        console.print(
            '[bold]Not saved:[/bold] every answer was "don\'t know", so there is nothing to '
            "build a plan on."
        )
    elif not assessment.evidence:
        console.print(
            "[bold]Not saved:[/bold] nothing was read or answered. Run `backstride check` and "
            "answer the questions to get a plan."
        )
    else:
        console.print(
            "[bold]Not saved[/bold] (--no-save). For a plan, keep the result with "
            "`backstride check ... --json > result.json`, then run "
            "`backstride plan --assessment result.json`."
        )
    console.print(f"[dim]{DISCLAIMER}[/dim]")


def show_question(console: Console, number: int, question: Question, kb: KnowledgeBase) -> None:
    """Print a question with its help text, self-test steps and why it is asked, in plain words."""
    console.print()
    console.print(f"[bold cyan]Q{number}.[/bold cyan] [bold]{escape(question.prompt)}[/bold]")
    if question.kind == "screening":
        for item in question.items:
            console.print(f"   • {escape(item.text)}")
    else:
        item = question.items[0]
        if item.help:
            console.print(f"   [dim]{escape(item.help)}[/dim]")
        if item.self_test:
            console.print("   [bold]How to check safely:[/bold]")
            for i, step in enumerate(item.self_test.steps, start=1):
                console.print(f"     {i}. {escape(step)}")
            console.print(f"     [yellow]Stop if: {escape(item.self_test.stop_if)}[/yellow]")
    console.print(f"   [italic dim]Why I ask: {escape(plain(question.why, kb))}[/italic dim]")
