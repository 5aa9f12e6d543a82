"""Plans for the web app: an interview's plan, following it, and the plan being followed.

A plan is pure (``plan.generator.build_plan``: the same assessment and settings give the same
plan), so the plan being followed is rebuilt from its stored assessment and settings whenever an
export of it is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backstride.errors import BackstrideError
from backstride.recovery import interviews
from backstride.recovery.assessments import SavedAssessment, record_plan
from backstride.recovery.progress import Status, refresh
from backstride.recovery.workspace import LOCAL_PERSON, person_session
from backstride.store import records as rec

if TYPE_CHECKING:
    from backstride.plan.model import PersonSettings, Plan


class NoPlan(BackstrideError):
    """There is no plan to show: no answers yet, or no plan followed yet."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def settings(
    days_per_week: int = 3, equipment: list[str] | None = None, athlete: str | None = None
) -> PersonSettings:
    """Checked plan settings (InputError names the bad one); the CLI's defaults."""
    from backstride.plan.model import PersonSettings
    from backstride.recovery.profile import check_profile

    names = {
        "age_band": "age_band",
        "sex": "sex",
        "athlete": "athlete",
        "days_per_week": "days_per_week",
        "psfs_activities": "psfs_activities",
        "equipment": "equipment",
    }
    checked = check_profile(
        {"days_per_week": days_per_week, "equipment": equipment, "athlete": athlete}, names
    )
    return PersonSettings(
        days_per_week=days_per_week,
        equipment=frozenset(checked.get("equipment") or ["mat"]),
        athlete=athlete,  # type: ignore[arg-type]
    )


def build(data: dict[str, Any], person: PersonSettings) -> Plan:
    """The plan for an assessment's JSON (NoPlan when it holds no answers, as `plan` refuses)."""
    from backstride.plan.generator import build_plan
    from backstride.plan.model import parse_assessment

    parsed = parse_assessment(data, "the interview's result")
    if not parsed.findings:
        raise NoPlan(
            "no_answers",
            "the interview has no answers yet, so no warning sign was checked: answer the "
            "questions before making a plan",
        )
    return build_plan(parsed, person)


def interview_plan(public_id: str, person: PersonSettings, *, key: str = LOCAL_PERSON) -> Plan:
    """The plan `backstride plan --json` would print for the interview's result so far."""
    return build(interviews.result(public_id, person=key).data, person)


def follow(public_id: str, person: PersonSettings, *, key: str = LOCAL_PERSON) -> int:
    """Make the finished interview's plan the one the person follows; returns its id."""
    done = interviews.result(public_id, person=key)
    if not done.state.done:
        raise NoPlan("interview_not_done", "finish the questions before following a plan")
    plan = build(done.data, person)
    with person_session(key) as (session, who):
        row = rec.find_interview(session, who, public_id)
        saved = row.assessment_id if row is not None else None
    source: SavedAssessment | dict[str, Any] = (
        SavedAssessment(saved, done.data) if saved is not None else done.data
    )
    return record_plan(plan, person, source, key=key)


@dataclass(frozen=True, slots=True)
class Followed:
    """The plan being followed, rebuilt, and where it stands."""

    plan: Plan
    status: Status


def followed(*, key: str = LOCAL_PERSON) -> Followed:
    """The plan the person follows and where it stands (NoPlan when there is none)."""
    from backstride.plan.model import PersonSettings

    status = refresh(person=key)
    if status is None:
        raise NoPlan("no_plan", "no plan yet: finish an interview and follow its plan")
    with person_session(key) as (session, who):
        row = rec.latest_plan(session, who)
        assert row is not None  # refresh found it
        source = rec.assessment_result(session, who, row.assessment_id)
        stored = dict(row.settings or {})
    person = PersonSettings(
        days_per_week=int(stored.get("days_per_week") or 3),
        equipment=frozenset(stored.get("equipment") or ["mat"]),
        athlete=stored.get("athlete"),
    )
    return Followed(build(source or {}, person), status)
