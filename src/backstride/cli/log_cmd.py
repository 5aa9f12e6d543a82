"""`backstride log`: today's check-in, from flags or asked in the terminal."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.markup import escape

from backstride.cli.common import console, emit_json, friendly_errors
from backstride.errors import InputError

LEVEL_WORDS = {
    "self_care": "Self-care",
    "soon": "Soon: book a doctor or physiotherapist within 1-2 weeks",
    "urgent": "Urgent: see a doctor today",
    "emergency": "Emergency: call the emergency number or go to an emergency department now",
}


def split_ids(values: list[str] | None) -> list[str]:
    """Ids from repeated or comma-separated options."""
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def parse_psfs(values: list[str] | None, activities: list[str]) -> dict[str, int]:
    """--psfs 'NAME=SCORE' (repeatable), or bare scores in the order of the profile's activities."""
    scores: dict[str, int] = {}
    bare = 0
    for value in split_ids(values):
        name, sep, score = value.rpartition("=")
        if not sep:
            if bare >= len(activities):
                raise InputError(
                    f"--psfs '{value}': give it as ACTIVITY=SCORE (no PSFS activity is set for "
                    "a bare score)"
                )
            name, bare = activities[bare], bare + 1
        if not score.strip().isdigit():
            raise InputError(f"--psfs '{value}': the score must be a whole number from 0 to 10")
        scores[name.strip()] = int(score)
    return scores


def parse_day(value: str | None) -> date | None:
    """--date YYYY-MM-DD."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date '{value}' is not a date like 2026-10-05") from None


def ask_score(prompt: str) -> int | None:
    """A 0-10 score from the terminal; Enter skips; re-asks until it is valid."""
    while True:
        raw = _ask(f"{prompt} (0-10, Enter to skip): ")
        if raw == "":
            return None
        if raw.isdigit() and 0 <= int(raw) <= 10:
            return int(raw)
        console.print("[yellow]Please type a whole number from 0 to 10.[/yellow]")


def _ask(prompt: str) -> str:
    try:
        return console.input(escape(prompt)).strip()
    except EOFError:
        return ""


def interactive(activities: list[str]) -> dict[str, object]:
    """Ask for each value in turn."""
    from backstride.recovery.checkins import red_flag_questions

    console.rule("[bold]backstride log[/bold]")
    values: dict[str, object] = {
        "pain_now": ask_score("Pain now"),
        "pain_activity": ask_score("Worst pain during activity today"),
        "pain_morning": ask_score("Pain this morning"),
    }
    while True:
        raw = _ask("Morning stiffness in minutes (Enter to skip): ")
        if raw == "" or raw.isdigit():
            values["stiffness_min"] = int(raw) if raw else None
            break
        console.print("[yellow]Please type a number of minutes.[/yellow]")
    if not activities:
        names = _ask("Up to 3 activities your back makes hard, comma-separated (Enter to skip): ")
        activities = [n.strip() for n in names.split(",") if n.strip()][:3]
    psfs = {}
    for name in activities:
        score = ask_score(f"How well can you do '{name}' today? 0 = not at all, 10 = as before")
        if score is not None:
            psfs[name] = score
    values["psfs"] = psfs
    values["done"] = split_ids([_ask("Exercises done, comma-separated ids (Enter for none): ")])
    signs: dict[str, bool] = {}
    if _ask("Any new warning sign since your last check-in? [y/N]: ").lower() in ("y", "yes"):
        questions = list(red_flag_questions().items())
        for n, (_, question) in enumerate(questions, start=1):
            console.print(f"  {n:>2}. {escape(question)}")
        picked = _ask("Type the numbers that apply, comma-separated: ")
        for part in picked.replace(" ", ",").split(","):
            if part.isdigit() and 1 <= int(part) <= len(questions):
                signs[questions[int(part) - 1][0]] = True
    values["signs"] = signs
    values["notes"] = _ask("Notes (Enter to skip): ")
    return values


@friendly_errors
def log(
    pain: Annotated[int | None, typer.Option("--pain", help="Pain now, 0-10.")] = None,
    run_pain: Annotated[
        int | None, typer.Option("--run-pain", help="Worst pain during activity, 0-10.")
    ] = None,
    morning: Annotated[
        int | None,
        typer.Option("--morning", help="Pain this morning (the morning after), 0-10."),
    ] = None,
    stiffness: Annotated[
        int | None, typer.Option("--stiffness", help="Morning stiffness in minutes.")
    ] = None,
    psfs: Annotated[
        list[str] | None,
        typer.Option(
            "--psfs",
            help="PSFS score, ACTIVITY=0-10 (up to 3 activities; 10 = as before). Bare scores "
            "follow the order of your profile's activities.",
        ),
    ] = None,
    did: Annotated[
        list[str] | None,
        typer.Option("--did", help="Exercises done, e.g. glute_bridge,side_plank."),
    ] = None,
    sign: Annotated[
        list[str] | None,
        typer.Option("--sign", help="A new warning sign (a red-flag finding id), repeatable."),
    ] = None,
    met: Annotated[
        list[str] | None,
        typer.Option("--met", help="A phase criterion you checked and met, e.g. walk_20."),
    ] = None,
    notes: Annotated[str, typer.Option("--notes", help="Anything else.")] = "",
    day: Annotated[
        str | None, typer.Option("--date", help="The day (YYYY-MM-DD), today if not given.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Log a check-in: pain now, during activity and this morning (0-10), stiffness, PSFS,
    exercises done, and any new warning sign.

    With no values it asks in the terminal. Values outside 0-10 and future dates are refused.
    A new warning sign runs the triage again; at urgent or emergency the plan is suspended.
    """
    from backstride.recovery.checkins import log_checkin, make_checkin, psfs_activities
    from backstride.recovery.progress import refresh

    activities = psfs_activities()
    given = (pain, run_pain, morning, stiffness, psfs, did, sign, met, notes or None)
    if all(v is None for v in given):
        values = interactive(activities)
    else:
        values = {
            "pain_now": pain,
            "pain_activity": run_pain,
            "pain_morning": morning,
            "stiffness_min": stiffness,
            "psfs": parse_psfs(psfs, activities),
            "done": split_ids(did),
            "signs": {s: True for s in split_ids(sign)},
            "notes": notes,
        }
    checkin = make_checkin(day=parse_day(day), met=split_ids(met), **values)  # type: ignore[arg-type]
    outcome = log_checkin(checkin)
    status = refresh()
    if json_:
        r = outcome.retriage
        emit_json(
            {
                "date": checkin.day.isoformat(),
                "saved": True,
                "triage": None
                if r is None
                else {"level": r.level, "previous": r.previous, "reasons": list(r.reasons)},
                "plan_suspended": bool(r and r.suspended),
                "phase": status.rung.phase if status else None,
                "step": status.rung.step if status else None,
            }
        )
        return
    r = outcome.retriage
    if r is not None:
        style = "bold white on red" if r.level in ("urgent", "emergency") else "bold"
        console.print(f"[{style}] {escape(LEVEL_WORDS.get(r.level, r.level))} [/{style}]")
        for reason in r.reasons:
            console.print(f"• {escape(reason)}")
        if r.suspended:
            console.print(
                "[bold red]Your plan is suspended:[/bold red] stop running and training until a "
                "doctor has seen you. Run `backstride check` again afterwards for a new plan."
            )
    console.print(f"Saved your check-in for {checkin.day.isoformat()}.")
    if status is not None:
        console.print(f"Plan: {escape(status.rung.label)}. {escape(status.note)}")
