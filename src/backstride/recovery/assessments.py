"""Saving assessments and plans, and finding the ones the person follows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from backstride.clock import now
from backstride.recovery.workspace import LOCAL_PERSON, person_session
from backstride.store import records as rec

if TYPE_CHECKING:
    from backstride.engine.assessment import Assessment
    from backstride.plan.model import PersonSettings, Plan


@cache
def versions() -> tuple[str, str]:
    """(engine version, knowledge-base version): the package version and a hash of the KB data."""
    from backstride import __version__
    from backstride.kb.loader import DATA_DIR

    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return __version__, "kb-" + digest.hexdigest()[:12]


def record_assessment(
    result: Assessment | dict[str, Any],
    *,
    story: str | None = None,
    origin: str = "check",
    person: str = LOCAL_PERSON,
) -> int:
    """Save an assessment (an engine result or its JSON); returns its id."""
    data = result if isinstance(result, dict) else result.to_dict()
    engine_version, kb_version = versions()
    with person_session(person) as (session, who):
        row = rec.add_assessment(
            session,
            who,
            result=data,
            at=now(),
            origin=origin,
            story=story,
            engine_version=engine_version,
            kb_version=kb_version,
        )
        return row.id


@dataclass(frozen=True, slots=True)
class SavedAssessment:
    """An assessment from the database: its id and its JSON."""

    id: int
    data: dict[str, Any]


def saved_assessment(*, person: str = LOCAL_PERSON) -> SavedAssessment | None:
    """The newest saved assessment, or None when there is none."""
    with person_session(person) as (session, who):
        row = rec.latest_assessment(session, who)
        return None if row is None else SavedAssessment(row.id, row.result)


def record_plan(
    plan: Plan,
    person: PersonSettings,
    assessment: SavedAssessment | dict[str, Any],
    *,
    key: str = LOCAL_PERSON,
) -> int:
    """Save a plan as the one the person follows, with the assessment it came from.

    An assessment read from a file is saved too, so that every plan keeps its source. The
    profile takes the plan's days, equipment and athlete type, and the plan starts at its first
    phase.
    """
    from backstride.recovery.progress import plan_groups, start_plan

    settings = {
        "days_per_week": person.days_per_week,
        "equipment": sorted(person.equipment),
        "athlete": plan.athlete,
    }
    groups = list(plan_groups(plan.to_json()))
    with person_session(key) as (session, who):
        if isinstance(assessment, SavedAssessment):
            assessment_id = assessment.id
        else:
            assessment_id = rec.add_assessment(
                session,
                who,
                result=assessment,
                at=now(),
                origin="file",
                story=None,
                engine_version="unknown",  # a file does not say what made it
                kb_version="unknown",
            ).id
        row = rec.add_plan(
            session,
            who,
            assessment_id=assessment_id,
            settings={**settings, "groups": groups},
            document=plan.to_json(),
            at=now(),
        )
        rec.update_profile(session, who, **settings)
        start_plan(session, who, row)
        return row.id
