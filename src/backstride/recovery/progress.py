"""The plan that moves: its start, the weekly decisions, and where it stands now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from backstride.clock import now, today
from backstride.recovery.workspace import LOCAL_PERSON, person_session
from backstride.store import records as rec
from backstride.store.models import Person, PlanRow
from backstride.track.decision import (
    WeekDecision,
    decide_week,
    flares,
    requirements,
    usual_morning,
    weeks_since,
)
from backstride.track.load import LoadSummary, load_summary
from backstride.track.model import Activity, CheckIn
from backstride.track.state import Rung, plan_ladder, step_down


def start_plan(session: Session, who: Person, plan: PlanRow) -> Rung:
    """Put a new plan on its first rung and record why."""
    first = plan_ladder(plan.document)[0]
    if first.phase == "now":
        reason = (
            "The plan is suspended: the triage level is "
            f"{plan.triage.replace('_', ' ')}, so see a doctor before any exercise."
        )
        decision = "suspend"
    else:
        reason = "A new plan starts at its first phase."
        decision = "start"
    rec.add_phase_move(
        session,
        who,
        plan_id=plan.id,
        at=plan.created_at or now(),
        decision=decision,
        phase=first.phase,
        step=first.step,
        reason=reason,
        week_start=plan.created_at.date(),
    )
    return first


@dataclass(frozen=True, slots=True)
class Status:
    """Where the plan stands after the weekly decisions are up to date."""

    plan_id: int
    plan: dict[str, Any]
    rung: Rung
    note: str
    moves: tuple[Move, ...]
    week_start: date  # the start of the plan week that is under way
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Move:
    """A stored phase move."""

    at: datetime
    week_start: date | None
    decision: str
    rung: Rung
    reason: str


def plan_groups(plan: dict[str, Any]) -> tuple[str, ...]:
    """The plan-rule groups a plan was tailored to, plus bone stress when running is stopped
    until a clinician clears it (a bone stress cause at the caution level)."""
    from backstride.plan.rules import load_rules

    rules = load_rules()
    groups = [
        rules.conditions[c["id"]].group
        for c in plan.get("tailored_to", [])
        if c.get("id") in rules.conditions
    ]
    items = {i.get("id") for p in plan.get("phases", []) for i in p.get("items", [])}
    bone = {g for g, rule in rules.groups.items() if rule.bone_stress}
    if "stop_running_until_cleared" in items and not bone & set(groups):
        groups.append("bone_stress")
    return tuple(dict.fromkeys(groups))


def rung_since(moves: Sequence[Move]) -> date:
    """The day the current rung began: checks logged since then count towards leaving it."""
    first = moves[-1]
    for move in reversed(moves):
        if move.rung != first.rung:
            break
        first = move
    return first.at.date()


def _moves(session: Session, who: Person, plan_id: int) -> list[Move]:
    return [
        Move(m.at, m.week_start, m.decision, Rung(m.phase, m.step), m.reason)
        for m in rec.phase_moves(session, who, plan_id)
    ]


def refresh(
    session: Session | None = None, who: Person | None = None, *, person: str = LOCAL_PERSON
) -> Status | None:
    """Decide every complete plan week not yet decided, store each move, and say where the
    plan stands; None when there is no plan yet."""
    if session is None or who is None:
        with person_session(person) as (s, w):
            return refresh(s, w)
    plan = rec.latest_plan(session, who)
    if plan is None:
        return None
    rungs = plan_ladder(plan.document)
    # The groups are saved with the plan (the plan rules take a while to load).
    saved_groups = (plan.settings or {}).get("groups")
    groups = tuple(saved_groups) if saved_groups is not None else plan_groups(plan.document)
    moves = _moves(session, who, plan.id)
    if not moves:
        start_plan(session, who, plan)
        moves = _moves(session, who, plan.id)
    start = plan.created_at.date()
    decided = {m.week_start for m in moves if m.decision in ("progress", "hold", "step_back")}
    current = moves[-1]
    weeks = weeks_since(start, today())
    for week_start in weeks:
        if week_start in decided:
            continue
        from backstride.plan.progression import load_progression  # only when a week is due

        rules = load_progression()
        week_end = week_start + timedelta(days=6)
        since = rung_since(moves)
        earlier = rec.checkins(
            session,
            who,
            week_start - timedelta(days=rules.pain_rule.usual_days),
            week_start - timedelta(days=1),
        )
        week = rec.checkins(session, who, week_start, week_end)
        met = {p for c in rec.checkins(session, who, since, week_end) for p in c.passed}
        acts = rec.activities(
            session, who, _midnight(week_start), _midnight(week_end + timedelta(days=1))
        )
        result = decide_week(
            rules,
            week_start=week_start,
            rung=current.rung,
            ladder=rungs,
            needs=requirements(rules, current.rung, rungs, groups),
            week=week,
            activities=acts,
            met=met,
            usual=usual_morning(earlier, week),
        )
        row = rec.add_phase_move(
            session,
            who,
            plan_id=plan.id,
            at=_midnight(week_end + timedelta(days=1)),
            decision=result.decision,
            phase=result.after.phase,
            step=result.after.step,
            reason=" ".join(result.reasons),
            week_start=week_start,
        )
        current = Move(row.at, week_start, row.decision, result.after, row.reason)
        moves.append(current)
    under_way = start + timedelta(days=7 * len(weeks))
    return Status(
        plan_id=plan.id,
        plan=plan.document,
        rung=current.rung,
        note=current.reason,
        moves=tuple(moves),
        week_start=under_way,
        groups=groups,
    )


def step_back_for_late_checkin(
    session: Session, who: Person, before: Status, checkin: CheckIn
) -> str | None:
    """A check-in logged after its week was decided, that breaks the pain rule, steps the plan
    back now (once; the decided week is left as it was stored). Only the last decided week
    counts: a flare from longer ago is kept and shown but moves nothing. Returns the reason of
    the step back, or None.

    ``before`` is the plan's status just before the check-in was added, so a week decided only
    now (with this check-in in it) is not counted twice.
    """
    last_week = before.week_start - timedelta(days=7)
    if not last_week <= checkin.day < before.week_start or before.rung.phase == "now":
        return None
    decided = [
        i for i, m in enumerate(before.moves) if m.week_start == last_week and m.decision != "start"
    ]
    # once per week: not when that week stepped back already, or a late log did since
    if not decided or any(m.decision == "step_back" for m in before.moves[decided[-1] :]):
        return None
    from backstride.plan.progression import load_progression

    rules = load_progression()
    earlier = rec.checkins(
        session,
        who,
        last_week - timedelta(days=rules.pain_rule.usual_days),
        last_week - timedelta(days=1),
    )
    week = rec.checkins(session, who, last_week, before.week_start - timedelta(days=1))
    breaches = flares(rules, [checkin], [], usual_morning(earlier, week))
    if not breaches:
        return None
    back = step_down(plan_ladder(before.plan), before.rung)
    tail = (
        f"Back one step, to {back.label}."
        if back != before.rung
        else "This is the first step already: keep to it and ease off until it settles."
    )
    reason = " ".join(["Logged after that week was decided:", *breaches, tail])
    rec.add_phase_move(
        session,
        who,
        plan_id=before.plan_id,
        at=now(),
        decision="step_back",
        phase=back.phase,
        step=back.step,
        reason=reason,
        week_start=None,
    )
    return reason


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PsfsTrend:
    """One PSFS activity: first and latest score."""

    activity: str
    first: int
    latest: int
    first_day: date
    latest_day: date


@dataclass(frozen=True, slots=True)
class Report:
    """What `backstride progress` shows (and the web page will)."""

    status: Status
    so_far: WeekDecision | None  # the week under way, decided provisionally (not stored)
    load: LoadSummary
    psfs: tuple[PsfsTrend, ...]
    checkins: tuple[CheckIn, ...]
    activities: tuple[Activity, ...]


def psfs_trend(checkins: Sequence[CheckIn]) -> tuple[PsfsTrend, ...]:
    """First and latest score of each PSFS activity."""
    seen: dict[str, list[tuple[date, int]]] = {}
    for c in checkins:
        for name, score in c.psfs:
            seen.setdefault(name, []).append((c.day, score))
    return tuple(PsfsTrend(name, v[0][1], v[-1][1], v[0][0], v[-1][0]) for name, v in seen.items())


def report(*, person: str = LOCAL_PERSON) -> Report | None:
    """The progress report, after bringing the weekly decisions up to date; None without a plan."""
    from backstride.plan.progression import load_progression

    rules = load_progression()
    with person_session(person) as (session, who):
        status = refresh(session, who)
        if status is None:
            return None
        checkins = tuple(rec.checkins(session, who))
        activities = tuple(rec.activities(session, who))
        rungs = plan_ladder(status.plan)
        so_far = None
        if status.rung.phase != "now":
            start = status.week_start
            week = [c for c in checkins if c.day >= start]
            earlier = [
                c
                for c in checkins
                if start - timedelta(days=rules.pain_rule.usual_days) <= c.day < start
            ]
            since = rung_since(list(status.moves))
            so_far = decide_week(
                rules,
                week_start=start,
                rung=status.rung,
                ladder=rungs,
                needs=requirements(rules, status.rung, rungs, status.groups),
                week=week,
                activities=[a for a in activities if a.day >= start],
                met={p for c in checkins if c.day >= since for p in c.passed},
                usual=usual_morning(earlier, week),
            )
    return Report(
        status=status,
        so_far=so_far,
        load=load_summary(activities, now(), rules),
        psfs=psfs_trend(checkins),
        checkins=checkins,
        activities=activities,
    )


def report_json(r: Report) -> dict[str, Any]:
    """The report as JSON (`backstride progress --json` and the web API)."""
    s = r.status
    last = next((m for m in reversed(s.moves) if m.week_start and m.decision != "start"), None)
    return {
        "phase": s.rung.phase,
        "step": s.rung.step,
        "decision": last.decision if last else None,
        "reason": last.reason if last else s.note,
        "so_far": None
        if r.so_far is None
        else {"decision": r.so_far.decision, "reasons": list(r.so_far.reasons)},
        "phase_history": [
            {
                "at": m.at.isoformat(),
                "decision": m.decision,
                "phase": m.rung.phase,
                "step": m.rung.step,
                "reason": m.reason,
            }
            for m in s.moves
        ],
        "load": {
            "weeks": [
                {
                    "week": w.week.isoformat(),
                    "sport": w.sport,
                    "count": w.count,
                    "distance_m": round(w.distance_m, 1),
                    "duration_s": round(w.duration_s),
                }
                for w in r.load.weeks
            ],
            "longest_run_30d_m": r.load.longest_30d_m,
            "flags": [
                {
                    "start": f.start.isoformat(),
                    "distance_m": f.distance_m,
                    "longest_before_m": f.longest_before_m,
                    "longer_by": round(f.longer_by, 3),
                    "hazard_ratio": f.hazard_ratio,
                    "label": f.label,
                }
                for f in r.load.flags
            ],
            "acwr": {"ratio": r.load.acwr.ratio, "caveat": r.load.acwr.caveat},
            "session_rpe": None
            if r.load.strain is None
            else {
                "week": r.load.strain.week.isoformat(),
                "load": r.load.strain.load,
                "monotony": r.load.strain.monotony,
                "strain": r.load.strain.strain,
            },
        },
        "psfs": [{"activity": p.activity, "first": p.first, "latest": p.latest} for p in r.psfs],
    }


def checks_to_leave(status: Status) -> tuple[tuple[str, str], ...]:
    """The measurable checks that leaving the current rung takes: (id, words), to log as met."""
    from backstride.plan.progression import load_progression

    rules = load_progression()
    needs = requirements(rules, status.rung, plan_ladder(status.plan), status.groups)
    return tuple((c, rules.checks[c].name) for c in needs.checks if c in rules.checks)
