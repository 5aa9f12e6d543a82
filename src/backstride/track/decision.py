"""The weekly decision: progress, hold or step back, from the week's check-ins and runs.

It follows the plan's pain-monitoring model (docs/plan.md): pain during activity at most 3/10
and back to the usual level by the next morning, otherwise go back a step. Moving up takes the
plan's measurable criteria (``plan/data/progression.yaml``), never the calendar. Pure.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from backstride.track.model import Activity, CheckIn
from backstride.track.state import RUN_PHASE, Rung, step_down, step_up

if TYPE_CHECKING:  # the rules are loaded by the caller; only their types are needed here
    from backstride.plan.progression import Progression

Decision = Literal["progress", "hold", "step_back"]


@dataclass(frozen=True, slots=True)
class Requirements:
    """What moving up from one rung takes."""

    rest_pain_max: int | None = None
    checks: tuple[str, ...] = ()
    no_signs: tuple[str, ...] = ()
    runs_needed: int | None = None  # walk-run steps 1-5: runs within the pain rule
    continuous_minutes: int | None = None  # the last step: continuous runs this long
    continuous_runs: int | None = None


def requirements(
    rules: Progression, rung: Rung, ladder: Sequence[Rung], groups: Iterable[str]
) -> Requirements:
    """The criteria for leaving ``rung``: its phase's exit (when the next rung is in another
    phase), the next phase's entry, and the extra checks of the plan's groups."""
    groups = tuple(groups)
    nxt = step_up(ladder, rung)
    if nxt == rung:
        return Requirements()
    if rung.phase == nxt.phase:  # within the walk-run ladder
        return Requirements(runs_needed=rules.walk_run.runs_to_move_up)
    exit_ = rules.exits.get(rung.phase)
    checks: list[str] = list(exit_.checks) if exit_ else []
    for g in groups:
        extra = rules.groups.get(g)
        if extra:
            checks += extra.exit.get(rung.phase, ())
            checks += extra.entry.get(nxt.phase, ())
    entry = rules.entries.get(nxt.phase)
    if entry:
        checks += entry.checks
    return Requirements(
        rest_pain_max=exit_.rest_pain_max if exit_ else None,
        checks=tuple(dict.fromkeys(checks)),
        no_signs=exit_.no_signs if exit_ else (),
        continuous_minutes=exit_.continuous_minutes if exit_ else None,
        continuous_runs=exit_.continuous_runs if exit_ else None,
    )


@dataclass(frozen=True, slots=True)
class WeekDecision:
    """One week's decision, the rung before and after, and the reasons in plain words."""

    week_start: date
    decision: Decision
    before: Rung
    after: Rung
    reasons: tuple[str, ...]


def usual_morning(earlier: Sequence[CheckIn], week: Sequence[CheckIn]) -> int | None:
    """The usual morning pain: the median of earlier mornings, else the week's first one."""
    mornings = [c.pain_morning for c in earlier if c.pain_morning is not None]
    if mornings:
        return int(statistics.median_low(mornings))
    first = [c.pain_morning for c in week if c.pain_morning is not None]
    return first[0] if first else None


def run_pain(run: Activity, checkins: Sequence[CheckIn]) -> int | None:
    """Pain during a run: logged with the run, else the worst activity pain logged that day."""
    if run.pain_during is not None:
        return run.pain_during
    same_day = [
        c.pain_activity for c in checkins if c.day == run.day and c.pain_activity is not None
    ]
    return max(same_day) if same_day else None


def flares(
    rules: Progression,
    week: Sequence[CheckIn],
    runs: Sequence[Activity],
    usual: int | None,
) -> list[str]:
    """Every breach of the pain rule this week, in plain words."""
    rule = rules.pain_rule
    out: list[str] = []
    for c in week:
        if c.pain_activity is not None and c.pain_activity > rule.during_max:
            out.append(
                f"{c.day.isoformat()}: pain during activity {c.pain_activity}/10, over the pain "
                f"rule's {rule.during_max}/10."
            )
        if (
            c.pain_morning is not None
            and usual is not None
            and c.pain_morning > usual + rule.morning_over_usual_max
        ):
            out.append(
                f"{c.day.isoformat()}: pain in the morning {c.pain_morning}/10, above your usual "
                f"{usual}/10."
            )
    for r in runs:
        if r.pain_during is not None and r.pain_during > rule.during_max:
            out.append(
                f"{r.day.isoformat()}: pain during a {r.sport} {r.pain_during}/10, over the pain "
                f"rule's {rule.during_max}/10."
            )
    return out


def decide_week(
    rules: Progression,
    *,
    week_start: date,
    rung: Rung,
    ladder: Sequence[Rung],
    needs: Requirements,
    week: Sequence[CheckIn],
    activities: Sequence[Activity],
    met: Iterable[str],
    usual: int | None,
) -> WeekDecision:
    """Progress, hold or step back after one week.

    ``week`` and ``activities`` are the week's; ``met`` the checks logged as met since the
    current rung began; ``usual`` the usual morning pain (see :func:`usual_morning`).
    """

    def out(decision: Decision, after: Rung, reasons: Iterable[str]) -> WeekDecision:
        return WeekDecision(week_start, decision, rung, after, tuple(reasons))

    if rung.phase == "now":
        return out(
            "hold",
            rung,
            ["The plan is suspended until a doctor has seen you; then run `backstride check`."],
        )
    runs = [a for a in activities if a.sport == "run"]
    breaches = flares(rules, week, runs, usual)
    if breaches:
        back = step_down(ladder, rung)
        tail = (
            f"Back one step, to {back.label}."
            if back != rung
            else "This is the first step already: keep to it and ease off until it settles."
        )
        return out("step_back", back, [*breaches, tail])
    if not week and not activities:
        return out("hold", rung, ["Nothing was logged this week: log check-ins to move on."])
    if rung.phase not in (RUN_PHASE, "prevent") and runs and _before_running(ladder, rung):
        return out(
            "hold",
            rung,
            [
                f"{len(runs)} run(s) logged while running is paused: keep to the plan's "
                "cross-training until the return-to-run criteria are met."
            ],
        )
    nxt = step_up(ladder, rung)
    if nxt == rung:
        return out(
            "hold",
            rung,
            ["No end to this phase: keep the strength routine and the longest-run rule."],
        )
    within = [
        r for r in runs if (p := run_pain(r, week)) is not None and p <= rules.pain_rule.during_max
    ]
    missing: list[str] = []
    if needs.runs_needed is not None and len(within) < needs.runs_needed:
        missing.append(
            f"{len(within)} of {needs.runs_needed} runs at walk_run_{rung.step} within the pain "
            "rule were logged (log the pain during each run)."
        )
    if needs.continuous_minutes is not None and needs.continuous_runs is not None:
        long_ok = [r for r in within if r.minutes >= needs.continuous_minutes]
        if len(long_ok) < needs.continuous_runs:
            missing.append(
                f"{len(long_ok)} of {needs.continuous_runs} continuous runs of "
                f"{needs.continuous_minutes} minutes within the pain rule this week."
            )
    if needs.rest_pain_max is not None:
        rest = [c.pain_now for c in week if c.pain_now is not None]
        if not rest or rest[-1] > needs.rest_pain_max:
            shown = f"{rest[-1]}/10" if rest else "not logged"
            missing.append(
                f"Pain at rest {shown}; it needs to be {needs.rest_pain_max}/10 or less."
            )
    for sign in needs.no_signs:
        if any(dict(c.signs).get(sign) for c in week):
            missing.append(f"'{sign.replace('_', ' ')}' was reported this week.")
    done = set(met)
    unmet = [c for c in needs.checks if c not in done]
    if unmet:
        names = [rules.checks[c].name if c in rules.checks else c for c in unmet]
        missing.append("Not yet logged as met: " + "; ".join(names) + ".")
    if missing:
        return out("hold", rung, [f"Stay at {rung.label}.", *missing])
    why = (
        f"{len(within)} runs within the pain rule"
        if nxt.phase == rung.phase
        else f"the {rung.phase.replace('_', ' ')} criteria are met and the pain rule held"
    )
    return out("progress", nxt, [f"Move up to {nxt.label}: {why}."])


def _before_running(ladder: Sequence[Rung], rung: Rung) -> bool:
    phases = [r.phase for r in ladder]
    return RUN_PHASE in phases and phases.index(rung.phase) < phases.index(RUN_PHASE)


def weeks_since(start: date, until: date) -> list[date]:
    """Starts of the complete 7-day weeks from ``start`` that ended before ``until``."""
    out: list[date] = []
    week = start
    while week + timedelta(days=7) <= until:
        out.append(week)
        week += timedelta(days=7)
    return out
