"""Check-ins: validate, save, and run the triage again when a new warning sign is reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from backstride.clock import now, today
from backstride.errors import InputError
from backstride.recovery.assessments import versions
from backstride.recovery.workspace import LOCAL_PERSON, person_session
from backstride.store import records as rec
from backstride.track.model import CheckIn

MAX_PSFS = 3
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
LEVELS = ("self_care", "soon", "urgent", "emergency")


def nprs(value: int | None, what: str) -> int | None:
    """A 0-10 pain (or PSFS) score, or InputError naming the option."""
    if value is not None and not 0 <= value <= 10:
        raise InputError(f"{what} {value} must be between 0 and 10")
    return value


def red_flag_questions() -> dict[str, str]:
    """The knowledge base's warning-sign findings: id -> question (loads the knowledge base)."""
    from backstride.kb import default_knowledge_base

    return {f.id: f.question for f in default_knowledge_base().findings if f.red_flag}


def make_checkin(
    *,
    day: date | None = None,
    pain_now: int | None = None,
    pain_activity: int | None = None,
    pain_morning: int | None = None,
    stiffness_min: int | None = None,
    psfs: dict[str, int] | None = None,
    done: list[str] | None = None,
    notes: str = "",
    signs: dict[str, bool] | None = None,
    met: list[str] | None = None,
) -> CheckIn:
    """A validated check-in; InputError names the first value that is out of range or unknown."""
    day = day or today()
    if day > today():
        raise InputError(f"the date {day.isoformat()} is in the future")
    nprs(pain_now, "--pain")
    nprs(pain_activity, "--run-pain")
    nprs(pain_morning, "--morning")
    if stiffness_min is not None and not 0 <= stiffness_min <= 24 * 60:
        raise InputError(f"--stiffness {stiffness_min} must be minutes from 0 to 1440")
    psfs = psfs or {}
    if len(psfs) > MAX_PSFS:
        raise InputError(f"the PSFS takes at most {MAX_PSFS} activities, got {len(psfs)}")
    for name, score in psfs.items():
        nprs(score, f"--psfs '{name}'")
    for exercise in done or []:
        if not _ID.match(exercise):
            raise InputError(f"--did '{exercise}' is not an exercise id like glute_bridge")
    if signs:
        known = red_flag_questions()
        unknown = [s for s in signs if s not in known]
        if unknown:
            raise InputError(
                f"unknown warning sign(s): {', '.join(unknown)} (choose from: {', '.join(known)})"
            )
    if met:
        from backstride.plan.progression import load_progression

        checks = load_progression().checks
        unknown = [m for m in met if m not in checks]
        if unknown:
            raise InputError(
                f"unknown check(s) for --met: {', '.join(unknown)} "
                f"(choose from: {', '.join(checks)})"
            )
    given = (pain_now, pain_activity, pain_morning, stiffness_min)
    if all(v is None for v in given) and not (psfs or done or notes or signs or met):
        raise InputError("nothing to log: give at least one value (see `backstride log --help`)")
    return CheckIn(
        day=day,
        pain_now=pain_now,
        pain_activity=pain_activity,
        pain_morning=pain_morning,
        stiffness_min=stiffness_min,
        psfs=tuple(psfs.items()),
        done=tuple(dict.fromkeys(done or [])),
        notes=notes,
        signs=tuple((signs or {}).items()),
        passed=tuple(dict.fromkeys(met or [])),
    )


@dataclass(frozen=True, slots=True)
class Retriage:
    """The triage run again with the stored answers and the new warning signs."""

    previous: str | None
    level: str
    reasons: tuple[str, ...]
    new_signs: tuple[str, ...]
    suspended: bool


@dataclass(frozen=True, slots=True)
class LogOutcome:
    """What a check-in did."""

    checkin: CheckIn
    retriage: Retriage | None = None
    psfs_activities: tuple[str, ...] = ()
    # why the plan stepped back, when the check-in came after its week was decided
    late_step_back: str | None = None


def psfs_activities(*, person: str = LOCAL_PERSON) -> list[str]:
    """The PSFS activities in the person's profile."""
    with person_session(person) as (_session, who):
        return list(who.psfs_activities or [])


def log_checkin(checkin: CheckIn, *, person: str = LOCAL_PERSON) -> LogOutcome:
    """Save a check-in; a new warning sign runs the triage again and may suspend the plan.

    New PSFS activity names join the profile (at most three in all).
    """
    with person_session(person) as (session, who):
        activities = list(who.psfs_activities or [])
        for name, _ in checkin.psfs:
            if name not in activities:
                activities.append(name)
        if len(activities) > MAX_PSFS:
            raise InputError(
                f"you already follow {MAX_PSFS} PSFS activities "
                f"({', '.join(who.psfs_activities)}); score those, or change them with "
                "`backstride profile --psfs-activity`"
            )
        rec.update_profile(session, who, psfs_activities=activities)
        from backstride.recovery.progress import refresh, step_back_for_late_checkin

        # Weeks already due are decided first, so a check-in for a week decided before it
        # arrived can be told apart from one that is part of a week decided now.
        before = refresh(session, who)
        rec.add_checkin(session, who, checkin, at=now())
        late = step_back_for_late_checkin(session, who, before, checkin) if before else None
        retriage = _retriage(session, who, checkin) if checkin.new_signs() else None
    return LogOutcome(checkin, retriage, tuple(activities), late)


def retriage_result(
    stored: dict[str, bool], previous: str | None, new_signs: tuple[str, ...]
) -> dict[str, Any]:
    """The assessment of the stored answers plus new warning signs answered yes.

    The level never drops below ``previous``: the stored answers lost where they came from
    (story or question), so a re-run can read them a little differently, and a new warning
    sign must never lower the level.
    """
    from backstride.engine.assessment import assess
    from backstride.engine.evidence import Evidence

    answers = {**stored, **{s: True for s in new_signs}}
    result = assess(Evidence(answers)).to_dict()
    if previous in LEVELS and LEVELS.index(previous) > LEVELS.index(result["triage"]["level"]):
        result["triage"]["level"] = previous
    return result


def _retriage(session: Any, who: Any, checkin: CheckIn) -> Retriage:
    """Assess the stored answers plus the new signs; at urgent or emergency, suspend the plan."""
    latest = rec.latest_assessment(session, who)
    previous = latest.triage if latest else None
    result = retriage_result(dict(latest.answers) if latest else {}, previous, checkin.new_signs())
    level = result["triage"]["level"]
    engine_version, kb_version = versions()
    row = rec.add_assessment(
        session,
        who,
        result=result,
        at=now(),
        origin="check_in",
        story=None,
        engine_version=engine_version,
        kb_version=kb_version,
    )
    suspended = level in ("urgent", "emergency")
    if suspended:
        _suspend(session, who, row.id, result)
    return Retriage(
        previous=previous,
        level=level,
        reasons=tuple(result["triage"]["reasons"]),
        new_signs=checkin.new_signs(),
        suspended=suspended,
    )


def _suspend(session: Any, who: Any, assessment_id: int, result: dict[str, Any]) -> None:
    """A new plan from the new assessment: at urgent or emergency it is a stop item and advice."""
    from backstride.plan.generator import build_plan
    from backstride.plan.model import PersonSettings, parse_assessment
    from backstride.recovery.progress import plan_groups, start_plan

    settings = PersonSettings(
        days_per_week=who.days_per_week or 3,
        equipment=frozenset(who.equipment or ["mat"]),
        athlete=who.athlete,
    )
    plan = build_plan(parse_assessment(result), settings)
    row = rec.add_plan(
        session,
        who,
        assessment_id=assessment_id,
        settings={
            "days_per_week": settings.days_per_week,
            "equipment": sorted(settings.equipment),
            "athlete": plan.athlete,
            "groups": list(plan_groups(plan.to_json())),
        },
        document=plan.to_json(),
        at=now(),
    )
    start_plan(session, who, row)
