"""What to do today: the current phase's exercises on training days, and the run with its dose
on run days (never before the return-to-run phase, never on consecutive days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backstride.clock import today
from backstride.recovery.progress import Status, refresh
from backstride.recovery.workspace import LOCAL_PERSON
from backstride.track.state import Rung

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_RUNS = 3  # as plan_rules.yaml max_runs_per_week


def training_days(days_per_week: int) -> tuple[int, ...]:
    """Weekday numbers (0 = Monday) of the training days: the calendar export's."""
    from backstride.plan.export.ics import TRAINING_DAYS, WEEKDAYS

    return tuple(WEEKDAYS.index(d) for d in TRAINING_DAYS[days_per_week])


def run_days(days_per_week: int) -> tuple[int, ...]:
    """The training days that take a run: at most three, never two days running."""
    chosen: list[int] = []
    for day in training_days(days_per_week):
        touching = any(abs(day - c) in (1, 6) for c in chosen)
        if not touching and len(chosen) < MAX_RUNS:
            chosen.append(day)
    return tuple(chosen)


@dataclass(frozen=True, slots=True)
class Today:
    """Today's session."""

    day: date
    rung: Rung
    suspended: bool
    training_day: bool
    run_day: bool
    exercises: tuple[dict[str, Any], ...]
    run: dict[str, Any] | None
    stop: tuple[dict[str, Any], ...]
    next_training_day: date | None


def _phase(plan: dict[str, Any], phase_id: str) -> dict[str, Any]:
    return next((p for p in plan.get("phases", []) if p.get("id") == phase_id), {"items": []})


def today_plan(status: Status | None = None, *, person: str = LOCAL_PERSON) -> Today | None:
    """Today's exercises and run from the current phase and the days a week; None without a plan."""
    status = status or refresh(person=person)
    if status is None:
        return None
    day = today()
    days = int(status.plan.get("days_per_week") or 3)
    phase = _phase(status.plan, status.rung.phase)
    items: list[dict[str, Any]] = phase.get("items", [])
    # A stop item holds from its phase until the return to run (e.g. no running until cleared).
    ids = [p.get("id") for p in status.plan.get("phases", [])]
    here = ids.index(status.rung.phase) if status.rung.phase in ids else 0
    until = ids.index("return_to_run") if "return_to_run" in ids else len(ids)
    stop = tuple(
        i
        for p in status.plan.get("phases", [])[: here + 1]
        for i in p.get("items", [])
        if i.get("kind") == "stop" and (p is phase or here < until)
    )
    if status.rung.phase == "now":
        return Today(day, status.rung, True, False, False, (), None, stop, None)
    trains = day.weekday() in training_days(days)
    runs_today = day.weekday() in run_days(days)
    run = None
    if runs_today:
        wanted = status.rung.run_item
        runs = [i for i in items if i.get("kind") == "run"]
        run = next((i for i in runs if i.get("id") == wanted), None) if wanted else None
        if (
            run is None
            and wanted is None
            and status.rung.phase not in ("calm", "restore", "strengthen")
        ):
            run = runs[0] if runs else None  # the prevent phase's easy run
    exercises = tuple(i for i in items if i.get("kind") in ("exercise", "ride")) if trains else ()
    upcoming = next(
        (
            day + timedelta(days=n)
            for n in range(1, 8)
            if (day + timedelta(days=n)).weekday() in training_days(days)
        ),
        None,
    )
    return Today(day, status.rung, False, trains, runs_today, exercises, run, stop, upcoming)


def today_json(t: Today) -> dict[str, Any]:
    """Today's session as JSON (`backstride today --json` and the web API)."""
    return {
        "date": t.day.isoformat(),
        "phase": t.rung.phase,
        "step": t.rung.step,
        "suspended": t.suspended,
        "training_day": t.training_day,
        "run_day": t.run_day,
        "exercises": list(t.exercises),
        "run": t.run,
        "stop": list(t.stop),
        "next_training_day": t.next_training_day.isoformat() if t.next_training_day else None,
    }
