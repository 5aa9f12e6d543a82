"""`backstride check`: the interview, interactive in a terminal or answered from a facts file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from backstride.api import read_story_evidence, start_interview
from backstride.cli.common import console, emit_json, err_console, friendly_errors, read_json_file
from backstride.cli.render import show_assessment, show_question
from backstride.engine.assessment import DISCLAIMER, Assessment, assess
from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.engine.interview import Interview, Question, simulate
from backstride.errors import EvidenceError, InputError
from backstride.kb import KnowledgeBase, default_knowledge_base

ANSWERS = {
    "y": True,
    "yes": True,
    "n": False,
    "no": False,
    "?": None,
    "d": None,
    "dk": None,
    "don't know": None,
    "dont know": None,
    "": None,
}
HELP_LINE = "Answer y (yes), n (no), ? (don't know), b (back) or q (quit)."


def load_facts(path: Path, kb: KnowledgeBase) -> dict[str, bool]:
    """Read FACTS.json ({finding_id: true|false}); InputError names any problem."""
    data = read_json_file(path, "facts file")
    if not isinstance(data, dict):
        raise InputError(f"facts file '{path}' must be a JSON object {{finding_id: true|false}}")
    unknown = [k for k in data if k not in kb.finding_index]
    if unknown:
        raise InputError(f"facts file '{path}': unknown finding id(s): {', '.join(unknown)}")
    wrong = [k for k, v in data.items() if not isinstance(v, bool)]
    if wrong:
        raise InputError(f"facts file '{path}': values must be true or false: {', '.join(wrong)}")
    return {str(k): bool(v) for k, v in data.items()}


def save(assessment: Assessment, story: str | None = None) -> None:
    """Keep the assessment in the database so `backstride plan` can build on it."""
    from backstride.recovery.assessments import record_assessment  # the database, only here

    record_assessment(assessment, story=story)


class Quit(Exception):
    """The person typed q."""


def ask(prompt: str) -> str:
    """Read one answer; end of input counts as quitting."""
    try:
        return console.input(escape(prompt)).strip().lower()
    except EOFError:
        raise Quit from None


def ask_choice(prompt: str) -> bool | str | None:
    """y/n/? → True/False/None; b → "back"; q → Quit. Re-asks on anything else."""
    while True:
        raw = ask(prompt)
        if raw in ANSWERS:
            return ANSWERS[raw]
        if raw in ("b", "back"):
            return "back"
        if raw in ("q", "quit", "exit"):
            raise Quit
        console.print(f"[yellow]I did not understand '{raw}'. {HELP_LINE}[/yellow]")


def answer_question(question: Question) -> dict[str, bool | None] | str:
    """Ask one question in the terminal; returns answers per item, or "back"."""
    if question.kind == "single":
        choice = ask_choice("   Your answer [y/n/?/b/q]: ")
        return choice if isinstance(choice, str) else {question.items[0].finding: choice}
    first = ask_choice("   Any of these? [y/n/?/b/q]: ")
    if isinstance(first, str):
        return first
    if first is False:
        return {i.finding: False for i in question.items}
    answers: dict[str, bool | None] = {}
    for item in question.items:
        choice = ask_choice(f"   - {item.text} [y/n/?]: ")
        if isinstance(choice, str):
            return choice
        answers[item.finding] = choice
    return answers


def review_story(story: Evidence, kb: KnowledgeBase) -> Evidence:
    """Show what was read from the story and let the person flip or drop items."""
    if not story:
        return story
    answers = dict(story)
    while True:
        ids = list(answers)
        console.print("\n[bold]From your story I understood:[/bold]")
        for n, fid in enumerate(ids, start=1):
            mark = "[green]yes[/green]" if answers[fid].value else "[red]no[/red]"
            console.print(f"  {n:>2}. {kb.finding(fid).question} {mark}")
        raw = ask("Press Enter if that is right, type a number to flip it, or 'x N' to remove: ")
        if raw in ("", "y", "yes", "ok"):
            return Evidence(answers)
        if raw in ("q", "quit"):
            raise Quit
        drop = raw.startswith("x")
        num = raw.removeprefix("x").strip()
        if not num.isdigit() or not 1 <= int(num) <= len(ids):
            console.print(f"[yellow]Please type a number from 1 to {len(ids)}.[/yellow]")
            continue
        fid = ids[int(num) - 1]
        if drop:
            del answers[fid]
        else:
            # A correction is the person's direct answer, so it counts in full.
            answers[fid] = Answer(not answers[fid].value, Origin.ASKED)


def interactive(story: str | None, kb: KnowledgeBase) -> Assessment | None:
    """The terminal interview. Returns None when the person quits before the end."""
    console.rule("[bold]backstride check[/bold]")
    console.print(
        f"[dim]{DISCLAIMER} If you have numbness around the genitals or anus, or new trouble "
        "with bladder or bowel, stop and call the emergency number now.[/dim]"
    )
    try:
        if story is None:
            story = console.input(
                "\n[bold]Tell me what is wrong, in your own words[/bold] (Enter to skip):\n> "
            )
        evidence: Evidence = Evidence()
        uncertain: tuple[str, ...] = ()
        if story.strip():
            from backstride.reader import read_story  # loads the NLP pipeline only when needed

            reading = read_story(story)
            for message in reading.messages:
                console.print(f"[yellow]{escape(message)}[/yellow]")
            evidence, uncertain = reading.evidence(), reading.uncertain_ids()
        evidence = review_story(evidence, kb)
        interview = Interview(kb, evidence, uncertain)
        console.print(f"\n[dim]{HELP_LINE}[/dim]")
        while (question := interview.next_question()) is not None:
            show_question(console, interview.questions_asked + 1, question)
            reply = answer_question(question)
            if reply == "back":
                if not interview.back():
                    console.print("[yellow]This is the first question.[/yellow]")
                continue
            assert isinstance(reply, dict)
            try:
                interview.answer(reply)
            except EvidenceError as exc:
                console.print(f"[yellow]{exc}. Please answer again.[/yellow]")
    except (Quit, KeyboardInterrupt):
        console.print("\n[yellow]Stopped. Nothing was saved.[/yellow]")
        return None
    result = interview.assessment()
    console.print()
    show_assessment(console, result, kb)
    return result


@friendly_errors
def check(
    story: Annotated[str | None, typer.Option(help="Your story in your own words.")] = None,
    facts: Annotated[
        Path | None, typer.Option(help="JSON file {finding_id: true|false} of known answers.")
    ] = None,
    simulate_: Annotated[
        bool,
        typer.Option("--simulate", help="Run the adaptive interview, answering from --facts."),
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    save_result: Annotated[
        bool, typer.Option("--save/--no-save", help="Keep the result for `backstride plan`.")
    ] = True,
) -> None:
    """Screen for warning signs, ask the questions that matter and rank the likely causes.

    With no options it is an interactive interview. With --facts, --simulate or --json it runs
    without questions (see shared/contract/cli.md).
    """
    kb = default_knowledge_base()
    known = load_facts(facts, kb) if facts else {}
    if not (facts or simulate_ or json_):
        if not sys.stdin.isatty() and story is None:
            story = sys.stdin.readline()
        result = interactive(story, kb)
        if result is None:
            raise typer.Exit(1)
    elif simulate_:
        result = simulate(start_interview(story or "", kb), known)
    else:
        story_ev, _ = read_story_evidence(story) if story and story.strip() else (Evidence(), ())
        result = assess(story_ev.merged(Evidence(known)), kb)
    if save_result and not result.evidence:
        # A result with no answers must not replace a real one that `plan` could still use.
        err_console.print("Nothing was read or answered, so this result was not saved.")
    elif save_result:
        save(result, story)
    if json_:
        emit_json(result.to_dict())
    elif facts or simulate_:
        show_assessment(console, result, kb)
