"""Load figures from activities: weekly totals, the longest-run flags, session RPE, monotony,
strain and the acute:chronic ratio. Pure; the result does not depend on the order of import.

- Longest run (Frandsen et al., BJSM 2025, 5,205 runners): a single run longer than the longest
  of the previous 30 days is flagged, graded 10-30% (hazard ratio 1.64), 30-100% (1.52) and over
  100% (2.28). Week-to-week change showed no link in that study, nor did the 10% rule in
  Buist 2008, so weekly change is shown but never flagged.
- Session RPE (Foster 2001): RPE (0-10) x minutes, for activities with an RPE logged; monotony is
  the mean daily load of the week over its standard deviation, strain the week's load x monotony.
- The acute:chronic ratio is information only (Impellizzeri 2020), never a decision rule.
"""

from __future__ import annotations

import statistics
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from backstride.track.model import Activity, Sport

if TYPE_CHECKING:  # the rules are loaded by the caller; only their types are needed here
    from backstride.plan.progression import Grade, Progression


def ordered(activities: Iterable[Activity]) -> list[Activity]:
    """Activities in one canonical order, so that every figure is independent of import order."""
    return sorted(
        activities,
        key=lambda a: (a.start, a.sport, a.duration_s, a.distance_m or 0.0, a.rpe or 0, a.source),
    )


def week_of(day: date) -> date:
    """The Monday that starts the week of ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WeekTotal:
    """One sport's totals in one week."""

    week: date
    sport: Sport
    count: int
    distance_m: float
    duration_s: float


def weekly_totals(activities: Sequence[Activity]) -> tuple[WeekTotal, ...]:
    """Distance and time per sport and week, oldest week first."""
    return _weekly(ordered(activities))


def _weekly(in_order: Sequence[Activity]) -> tuple[WeekTotal, ...]:
    # The activities come in time order, so each week is one run of them: sum it, then move on.
    # Weeks are Mondays' ordinals (date.fromordinal(1) is a Monday): cheaper than dates.
    out: list[WeekTotal] = []
    week = -1
    cells: dict[Sport, list[float]] = {}

    def flush() -> None:
        monday = date.fromordinal(week)
        for sport in sorted(cells):
            n, metres, seconds = cells[sport]
            out.append(WeekTotal(monday, sport, int(n), metres, seconds))

    for a in in_order:
        day = a.start.toordinal()
        this = day - (day + 6) % 7
        if this != week:
            if cells:
                flush()
            week, cells = this, {}
        cell = cells.get(a.sport)
        if cell is None:
            cell = cells[a.sport] = [0.0, 0.0, 0.0]
        cell[0] += 1
        cell[1] += a.distance_m or 0.0
        cell[2] += a.duration_s
    if cells:
        flush()
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RunFlag:
    """A run longer than the longest run of the previous window, with Frandsen's grade."""

    start: datetime
    distance_m: float
    longest_before_m: float
    longer_by: float  # 0.25 = 25% longer
    hazard_ratio: float
    label: str


def _grade(longer_by: float, grades: Sequence[Grade]) -> Grade | None:
    for g in grades:
        if longer_by > g.over and (g.up_to is None or longer_by <= g.up_to):
            return g
    return None


def longest_run_flags(activities: Sequence[Activity], rules: Progression) -> tuple[RunFlag, ...]:
    """Every run graded against the longest run of the previous window (runs with a distance)."""
    return _flags(ordered(activities), rules)


def _flags(runs_in_order: Sequence[Activity], rules: Progression) -> tuple[RunFlag, ...]:
    window = timedelta(days=rules.longest_run.window_days)
    grades = rules.longest_run.grades
    # A deque of (start, distance) with decreasing distances: its head is the window's longest.
    best: deque[tuple[datetime, float]] = deque()
    flags: list[RunFlag] = []
    for run in runs_in_order:
        if run.sport != "run" or not run.distance_m:
            continue
        while best and best[0][0] < run.start - window:
            best.popleft()
        if best:
            longest = best[0][1]
            longer_by = run.distance_m / longest - 1.0
            grade = _grade(longer_by, grades)
            if grade is not None:
                flags.append(
                    RunFlag(
                        run.start,
                        run.distance_m,
                        longest,
                        longer_by,
                        grade.hazard_ratio,
                        grade.label,
                    )
                )
        while best and best[-1][1] <= run.distance_m:
            best.pop()
        best.append((run.start, run.distance_m))
    return tuple(flags)


def longest_run(activities: Sequence[Activity], until: datetime, days: int) -> float | None:
    """The longest run distance in the ``days`` before ``until``."""
    since = until - timedelta(days=days)
    found = [
        a.distance_m
        for a in activities
        if a.sport == "run" and a.distance_m and since <= a.start < until
    ]
    return max(found) if found else None


def daily_rpe_load(activities: Sequence[Activity]) -> dict[date, float]:
    """Foster's session RPE load (RPE x minutes) summed per day, where RPE was logged."""
    return _daily_rpe(ordered(activities))


def _daily_rpe(in_order: Sequence[Activity]) -> dict[date, float]:
    loads: dict[date, float] = defaultdict(float)
    for a in in_order:
        if a.rpe is not None:
            loads[a.start.date()] += a.rpe * a.duration_s / 60.0
    return dict(loads)


@dataclass(frozen=True, slots=True)
class WeekStrain:
    """A week's session-RPE load, monotony and strain (None where undefined)."""

    week: date
    load: float
    monotony: float | None
    strain: float | None


def week_strain(loads: dict[date, float], week: date) -> WeekStrain:
    """Load, monotony (mean / SD of the 7 daily loads) and strain (load x monotony)."""
    days = [loads.get(week + timedelta(days=n), 0.0) for n in range(7)]
    total = sum(days)
    sd = statistics.pstdev(days)
    monotony = statistics.fmean(days) / sd if sd > 0 else None
    return WeekStrain(week, total, monotony, total * monotony if monotony is not None else None)


@dataclass(frozen=True, slots=True)
class Acwr:
    """The acute:chronic ratio of running time, for information only, with its caveat."""

    ratio: float | None
    acute_minutes: float
    chronic_weekly_minutes: float
    caveat: str


def acwr(activities: Sequence[Activity], until: datetime, rules: Progression) -> Acwr:
    """Running minutes of the last acute window over the weekly mean of the chronic window."""
    a, c = rules.acwr.acute_days, rules.acwr.chronic_days
    acute_from, chronic_from = until - timedelta(days=a), until - timedelta(days=c)
    acute = chronic = 0.0
    for act in activities:
        if act.sport == "run" and chronic_from <= act.start < until:
            chronic += act.duration_s
            if act.start >= acute_from:
                acute += act.duration_s
    acute, chronic = acute / 60.0, chronic / 60.0
    weekly = chronic / (c / 7)
    ratio = acute / (weekly * a / 7) if weekly > 0 else None
    return Acwr(ratio, acute, weekly, rules.acwr.caveat)


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """Everything `backstride progress` shows about load."""

    weeks: tuple[WeekTotal, ...]
    longest_30d_m: float | None
    flags: tuple[RunFlag, ...]
    strain: WeekStrain | None
    acwr: Acwr


def load_summary(
    activities: Sequence[Activity], until: datetime, rules: Progression
) -> LoadSummary:
    """The load figures up to ``until``, in one pass over the activities in canonical order."""
    acts = ordered(activities)
    loads = _daily_rpe(acts)
    this_week = week_of(until.date())
    return LoadSummary(
        weeks=_weekly(acts),
        longest_30d_m=longest_run(acts, until, rules.longest_run.window_days),
        flags=_flags(acts, rules),
        strain=week_strain(loads, this_week) if loads else None,
        acwr=acwr(acts, until, rules),
    )
