"""`backstride check`: the interview, interactive in a terminal or answered from a facts file."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from backstride.cli.common import console, emit_json, err_console, friendly_errors
from backstride.inputs import check_text, parse_answers, printable, read_json, story_text
from backstride.paths import data_home

if TYPE_CHECKING:  # the engine, the knowledge base and the reader load only when a command runs
    from backstride.engine.assessment import Assessment
    from backstride.engine.evidence import Evidence
    from backstride.engine.interview import Question
    from backstride.kb import KnowledgeBase

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
    where = f"facts file '{printable(str(path))}'"
    return parse_answers(read_json(path, "facts file"), where, kb.finding_index)


def save(assessment: Assessment, story: str | None = None) -> str:
    """Keep the assessment in the database so `backstride plan` can build on it; returns where
    (the database, any password hidden)."""
    from backstride.recovery.assessments import record_assessment  # the database, only here
    from backstride.recovery.workspace import saved_where

    record_assessment(assessment, story=story)
    return saved_where()


def summary_json(assessment: Assessment, kb: KnowledgeBase, saved: str | None) -> dict[str, Any]:
    """What `check --json` adds for people: the causes in words, running, the next step, where
    it went."""
    from backstride.explain import result_summary

    return result_summary(
        assessment, kb, next_step="backstride plan" if saved is not None else None, saved_to=saved
    )


def read_with_spinner(story: str, out: Console) -> tuple[Evidence, tuple[str, ...], list[str]]:
    """Read a story (the first one loads the language pipeline: seconds) under a spinner."""
    from backstride.reader import read_story

    with out.status("Reading your story…"):
        reading = read_story(story)
    return reading.evidence(), reading.uncertain_ids(), list(reading.messages)


def _lenient_stdin() -> None:
    # Keep undecodable bytes typed at the prompt as escapes so they are refused with a message
    # (check_text) instead of stopping the interview with a decoding error.
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")


class Quit(Exception):
    """The person typed q."""


def ask(prompt: str) -> str:
    """Read one answer; end of input counts as quitting. Undecodable bytes come back escaped."""
    try:
        return printable(console.input(escape(prompt))).strip().lower()
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
        console.print(f"[yellow]I did not understand '{escape(raw)}'. {HELP_LINE}[/yellow]")


def answer_question(question: Question, kb: KnowledgeBase) -> dict[str, bool | None] | str:
    """Ask one question in the terminal; returns answers per item, or "back"."""
    from backstride.engine.consistency import implied
    from backstride.engine.evidence import Evidence

    if question.kind == "single":
        choice = ask_choice("   Your answer [y/n/?/b/q]: ")
        return choice if isinstance(choice, str) else {question.items[0].finding: choice}
    if not question.ask_each:
        first = ask_choice("   Any of these? [y/n/?/b/q]: ")
        if isinstance(first, str):
            return first
        if first is False:
            return {i.finding: False for i in question.items}
    answers: dict[str, bool | None] = {}
    for item in question.items:
        so_far = implied(kb, Evidence({f: v for f, v in answers.items() if v is not None}))
        if item.finding in so_far:  # settled by an earlier item: "over 65" after "not over 50"
            continue
        note = " (your story mentioned this: is it right?)" if item.from_story else ""
        choice = ask_choice(f"   - {item.text}{note} [y/n/?]: ")
        if isinstance(choice, str):
            return choice
        answers[item.finding] = choice
    return answers


def review_story(story: Evidence, kb: KnowledgeBase) -> Evidence:
    """Show what was read from the story and let the person flip or drop items."""
    from backstride.engine.evidence import Answer, Evidence, Origin

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


def interactive(story: str | None, kb: KnowledgeBase) -> tuple[Assessment, str] | None:
    """The terminal interview: the result and the story it read, or None when the person quits
    before the end."""
    from backstride.cli.render import show_question
    from backstride.engine.assessment import DISCLAIMER
    from backstride.engine.evidence import Evidence
    from backstride.engine.interview import Interview
    from backstride.errors import EvidenceError

    console.rule("[bold]backstride check[/bold]")
    console.print(
        f"[dim]{DISCLAIMER} If you have numbness around the genitals or anus, or new trouble "
        "with bladder or bowel, stop and call the emergency number now.[/dim]"
    )
    _lenient_stdin()
    try:
        if story is None:
            try:
                story = console.input(
                    "\n[bold]Tell me what is wrong, in your own words[/bold] (Enter to skip):\n> "
                )
            except EOFError:
                story = ""
            story = check_text(story, "your story")
        evidence: Evidence = Evidence()
        uncertain: tuple[str, ...] = ()
        if story.strip():
            evidence, uncertain, messages = read_with_spinner(story, console)
            for message in messages:
                console.print(f"[yellow]{escape(message)}[/yellow]")
        evidence = review_story(evidence, kb)
        interview = Interview(kb, evidence, uncertain)
        console.print(f"\n[dim]{HELP_LINE}[/dim]")
        while (question := interview.next_question()) is not None:
            show_question(console, interview.questions_asked + 1, question, kb)
            reply = answer_question(question, kb)
            if reply == "back":
                if not interview.back():
                    console.print("[yellow]This is the first question.[/yellow]")
                continue
            assert isinstance(reply, dict)
            try:
                interview.answer(reply)
            except EvidenceError as exc:
                console.print(f"[yellow]{exc}. Please answer again.[/yellow]")
                continue
            for clash in interview.clashes():
                console.print(f"[yellow]Note: {clash}; the graver reading is kept.[/yellow]")
    except (Quit, KeyboardInterrupt):
        console.print("\n[yellow]Stopped. Nothing was saved.[/yellow]")
        return None
    console.print()
    return interview.assessment(), story


def _say_what_was_not_read(story: str | None) -> None:
    """A story past the reader's limit is read only in part: say so (on stderr, so --json
    output stays one object)."""
    from backstride.reader import MAX_CHARS

    if story is not None and len(story) > MAX_CHARS:
        err_console.print(
            f"Your story is long: only its first {MAX_CHARS:,} characters were read; "
            f"the last {len(story) - MAX_CHARS:,} were not.",
            markup=False,
            highlight=False,
        )


@friendly_errors
def check(
    story: Annotated[
        str | None,
        typer.Option(help="Your story in your own words; '-' reads it from standard input."),
    ] = None,
    story_file: Annotated[
        Path | None,
        typer.Option(
            "--story-file", help="Read your story from a text file (UTF-8, or UTF-16 with its BOM)."
        ),
    ] = None,
    facts: Annotated[
        Path | None,
        typer.Option(
            help="JSON file {finding_id: true|false} of known answers; "
            "`backstride findings` lists the ids."
        ),
    ] = None,
    simulate_: Annotated[
        bool,
        typer.Option("--simulate", help="Run the adaptive interview, answering from --facts."),
    ] = False,
    json_: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the result as JSON (with 'summary': the causes in words)."
        ),
    ] = False,
    save_result: Annotated[
        bool, typer.Option("--save/--no-save", help="Keep the result for `backstride plan`.")
    ] = True,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help="Also show the numbers: each cause's chance, each answer's weight and sources.",
        ),
    ] = False,
) -> None:
    """Screen for warning signs, ask the questions that matter and rank the likely causes.

    With no options it is an interactive interview. With --facts, --simulate or --json it runs
    without questions (see shared/contract/cli.md). The result says what to do now, what it
    means for running, the likely causes in everyday words and why, and when to get help; it is
    saved for `backstride plan`.
    """
    from backstride.api import story_assessment
    from backstride.engine.evidence import Evidence
    from backstride.engine.interview import Interview, simulate
    from backstride.kb import default_knowledge_base

    # Every input is read and checked before any work, and the place to save it too, so that
    # nothing typed in the interview is lost to a bad option or a bad BACKSTRIDE_HOME.
    text = story_text(story, story_file)
    saving = save_result and data_home().is_dir()  # a bad BACKSTRIDE_HOME is refused here
    kb = default_knowledge_base()
    known = load_facts(facts, kb) if facts else {}
    interviewed = not (facts or simulate_ or json_)
    if interviewed:
        finished = interactive(text, kb)
        if finished is None:
            raise typer.Exit(1)
        result, text = finished
    elif simulate_:
        _say_what_was_not_read(text)
        story_ev: Evidence = Evidence()
        uncertain: tuple[str, ...] = ()
        if text and text.strip():
            story_ev, uncertain, _ = read_with_spinner(text, err_console)
        result = simulate(Interview(kb, story_ev, uncertain), known)
    else:
        _say_what_was_not_read(text)
        # the same path `backstride eval --mode story` measures
        result = story_assessment(
            text or "", known, kb, read=lambda t: read_with_spinner(t, err_console)[:2]
        )
    saved: str | None = None
    if saving and not result.evidence:
        # A result with no answers must not replace a real one that `plan` could still use.
        if json_:
            err_console.print("Nothing was read or answered, so this result was not saved.")
    elif saving:
        saved = save(result, text)
    if json_:
        if saved is not None:
            err_console.print(f"Saved to {saved}. Your plan: `backstride plan`.", markup=False)
        emit_json({**result.to_dict(), "summary": summary_json(result, kb, saved)})
        return
    from backstride.cli.render import show_result
    from backstride.explain import first_plan

    show_result(
        console,
        result,
        kb,
        first_plan(result),
        saved=saved,
        interviewed=interviewed,
        details=details,
    )
