"""Everything a person saved as one versioned JSON document, and back.

Times are ISO 8601 in UTC (``2026-10-05T07:00:00Z``); dates are ``YYYY-MM-DD``. Records refer to
each other by their position in the document (``"assessment": 1`` is the first assessment), so
the document does not depend on database ids: export, import into an empty database, export
again, and the two documents are equal.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backstride.clock import iso_utc, now, parse_iso_utc
from backstride.errors import InputError
from backstride.store.db import SCHEMA_VERSION
from backstride.store.models import (
    ActivityRow,
    AssessmentRow,
    CheckInRow,
    InterviewRow,
    InterviewStepRow,
    Person,
    PhaseMoveRow,
    PlanRow,
)
from backstride.store.records import PROFILE_FIELDS, interview_steps, interviews, profile

FORMAT = "backstride-export"
VERSION = 1


def export_document(session: Session, who: Person) -> dict[str, Any]:
    """The person's whole record as one JSON-ready document."""
    assessments = list(
        session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.person_id == who.id)
            .order_by(AssessmentRow.created_at, AssessmentRow.id)
        )
    )
    a_pos = {row.id: n for n, row in enumerate(assessments, start=1)}
    plans = list(
        session.scalars(
            select(PlanRow)
            .where(PlanRow.person_id == who.id)
            .order_by(PlanRow.created_at, PlanRow.id)
        )
    )
    p_pos = {row.id: n for n, row in enumerate(plans, start=1)}
    moves = session.scalars(
        select(PhaseMoveRow)
        .where(PhaseMoveRow.person_id == who.id)
        .order_by(PhaseMoveRow.at, PhaseMoveRow.id)
    )
    checkins = session.scalars(
        select(CheckInRow)
        .where(CheckInRow.person_id == who.id)
        .order_by(CheckInRow.day, CheckInRow.created_at, CheckInRow.id)
    )
    activities = session.scalars(
        select(ActivityRow)
        .where(ActivityRow.person_id == who.id)
        .order_by(ActivityRow.start, ActivityRow.id)
    )
    kept = interviews(session, who)
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": iso_utc(now()),
        "person": {"created_at": iso_utc(who.created_at), **profile(who)},
        "assessments": [
            {
                "created_at": iso_utc(a.created_at),
                "origin": a.origin,
                "story": a.story,
                "answers": a.answers,
                "result": a.result,
                "engine_version": a.engine_version,
                "kb_version": a.kb_version,
            }
            for a in assessments
        ],
        "plans": [
            {
                "created_at": iso_utc(p.created_at),
                "assessment": a_pos[p.assessment_id],
                "settings": p.settings,
                "plan": p.document,
            }
            for p in plans
        ],
        "phase_history": [
            {
                "at": iso_utc(m.at),
                "plan": p_pos[m.plan_id],
                "week_start": m.week_start.isoformat() if m.week_start else None,
                "decision": m.decision,
                "phase": m.phase,
                "step": m.step,
                "reason": m.reason,
            }
            for m in moves
        ],
        "checkins": [
            {
                "created_at": iso_utc(c.created_at),
                "date": c.day.isoformat(),
                "pain_now": c.pain_now,
                "pain_activity": c.pain_activity,
                "pain_next_morning": c.pain_morning,
                "stiffness_minutes": c.stiffness_min,
                "psfs": [{"activity": n, "score": s} for n, s in c.psfs],
                "exercises_done": list(c.done),
                "notes": c.notes,
                "warning_signs": dict(c.signs),
                "criteria_met": list(c.passed),
            }
            for c in checkins
        ],
        "activities": [
            {
                "created_at": iso_utc(a.created_at),
                "sport": a.sport,
                "start": iso_utc(a.start),
                "duration_s": a.duration_s,
                "distance_m": a.distance_m,
                "terrain": a.terrain,
                "surface": a.surface,
                "pain_during": a.pain_during,
                "rpe": a.rpe,
                "aero_s": a.aero_s,
                "source": a.source,
            }
            for a in activities
        ],
        # interviews (the web app's), with their answers in order; ids in URLs are not kept
        "interviews": [
            {
                "created_at": iso_utc(i.created_at),
                "story": i.story,
                "understood": i.understood,
                "evidence": i.evidence,
                "uncertain": i.uncertain,
                "corrections": i.corrections,
                "kb_version": i.kb_version,
                "engine_version": i.engine_version,
                "assessment": a_pos.get(i.assessment_id) if i.assessment_id else None,
                "steps": [
                    {"question": s.question, "answers": s.answers}
                    for s in interview_steps(session, i)
                ],
            }
            for i in kept
        ],
    }


class _Reader:
    """Field access that turns any problem into an InputError naming where it is."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> InputError:
        return InputError(f"{self.source}: {where}: {problem}")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected an object")
        return value

    def items(self, doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = doc.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        return [self.obj(v, f"{key}[{n}]") for n, v in enumerate(value)]

    def time(self, item: dict[str, Any], key: str, where: str) -> Any:
        try:
            return parse_iso_utc(str(item[key]))
        except KeyError:
            raise self.fail(where, f"'{key}' is missing") from None
        except ValueError:
            raise self.fail(where, f"'{key}' is not an ISO 8601 time") from None

    def day(self, item: dict[str, Any], key: str, where: str) -> date:
        try:
            return date.fromisoformat(str(item[key]))
        except KeyError:
            raise self.fail(where, f"'{key}' is missing") from None
        except ValueError:
            raise self.fail(where, f"'{key}' is not a date like 2026-10-05") from None

    def ref(self, item: dict[str, Any], key: str, ids: list[int], where: str) -> int:
        pos = item.get(key)
        if not isinstance(pos, int) or not 1 <= pos <= len(ids):
            raise self.fail(where, f"'{key}' must be a position from 1 to {len(ids)}")
        return ids[pos - 1]


def import_document(
    session: Session, who: Person, doc: Any, source: str = "export file"
) -> dict[str, int]:
    """Load an exported document into this (empty) person's record; counts per kind."""
    r = _Reader(source)
    doc = r.obj(doc, "(top level)")
    if doc.get("format") != FORMAT:
        raise r.fail("format", f"expected '{FORMAT}' (is this a backstride export?)")
    if doc.get("version") != VERSION:
        raise r.fail("version", f"version {doc.get('version')!r} is not supported (need {VERSION})")
    try:
        return _load(session, who, doc, r)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source}: unreadable record ({type(exc).__name__}: {exc})") from None


def _load(session: Session, who: Person, doc: dict[str, Any], r: _Reader) -> dict[str, int]:
    person = r.obj(doc.get("person", {}), "person")
    if "created_at" in person:
        who.created_at = r.time(person, "created_at", "person")
    for name in PROFILE_FIELDS:
        if name in person:
            setattr(who, name, person[name])
    assessment_ids: list[int] = []
    for n, a in enumerate(r.items(doc, "assessments")):
        where = f"assessments[{n}]"
        result = r.obj(a.get("result"), f"{where}.result")
        row = AssessmentRow(
            person_id=who.id,
            created_at=r.time(a, "created_at", where),
            origin=str(a.get("origin", "imported")),
            story=a.get("story"),
            answers=dict(r.obj(a.get("answers", {}), f"{where}.answers")),
            result=result,
            triage=str((result.get("triage") or {}).get("level", "")),
            engine_version=str(a.get("engine_version", "")),
            kb_version=str(a.get("kb_version", "")),
        )
        session.add(row)
        session.flush()
        assessment_ids.append(row.id)
    plan_ids: list[int] = []
    for n, p in enumerate(r.items(doc, "plans")):
        where = f"plans[{n}]"
        plan = r.obj(p.get("plan"), f"{where}.plan")
        prow = PlanRow(
            person_id=who.id,
            assessment_id=r.ref(p, "assessment", assessment_ids, where),
            created_at=r.time(p, "created_at", where),
            settings=r.obj(p.get("settings", {}), f"{where}.settings"),
            document=plan,
            triage=str(plan.get("triage", "")),
        )
        session.add(prow)
        session.flush()
        plan_ids.append(prow.id)
    moves = r.items(doc, "phase_history")
    for n, m in enumerate(moves):
        where = f"phase_history[{n}]"
        session.add(
            PhaseMoveRow(
                person_id=who.id,
                plan_id=r.ref(m, "plan", plan_ids, where),
                at=r.time(m, "at", where),
                week_start=r.day(m, "week_start", where) if m.get("week_start") else None,
                decision=str(m["decision"]),
                phase=str(m["phase"]),
                step=m.get("step"),
                reason=str(m.get("reason", "")),
            )
        )
    checkins = r.items(doc, "checkins")
    for n, c in enumerate(checkins):
        where = f"checkins[{n}]"
        session.add(
            CheckInRow(
                person_id=who.id,
                created_at=r.time(c, "created_at", where),
                day=r.day(c, "date", where),
                pain_now=c.get("pain_now"),
                pain_activity=c.get("pain_activity"),
                pain_morning=c.get("pain_next_morning"),
                stiffness_min=c.get("stiffness_minutes"),
                psfs=[[str(x["activity"]), int(x["score"])] for x in c.get("psfs", [])],
                done=list(c.get("exercises_done", [])),
                notes=str(c.get("notes", "")),
                signs={str(k): bool(v) for k, v in dict(c.get("warning_signs", {})).items()},
                passed=list(c.get("criteria_met", [])),
            )
        )
    activities = r.items(doc, "activities")
    for n, a in enumerate(activities):
        where = f"activities[{n}]"
        session.add(
            ActivityRow(
                person_id=who.id,
                created_at=r.time(a, "created_at", where),
                sport=str(a["sport"]),
                start=r.time(a, "start", where),
                duration_s=float(a["duration_s"]),
                distance_m=None if a.get("distance_m") is None else float(a["distance_m"]),
                terrain=a.get("terrain"),
                surface=a.get("surface"),
                pain_during=a.get("pain_during"),
                rpe=a.get("rpe"),
                aero_s=None if a.get("aero_s") is None else float(a["aero_s"]),
                source=str(a.get("source", "imported")),
            )
        )
    kept = r.items(doc, "interviews")
    for n, i in enumerate(kept):
        where = f"interviews[{n}]"
        at = r.time(i, "created_at", where)
        linked = i.get("assessment")
        irow = InterviewRow(
            public_id=secrets.token_urlsafe(16),
            person_id=who.id,
            created_at=at,
            updated_at=at,
            story=str(i.get("story", "")),
            understood=list(i.get("understood", [])),
            evidence=r.obj(i.get("evidence", {}), f"{where}.evidence"),
            uncertain=[str(x) for x in i.get("uncertain", [])],
            corrections=r.obj(i.get("corrections", {}), f"{where}.corrections"),
            kb_version=str(i.get("kb_version", "")),
            engine_version=str(i.get("engine_version", "")),
            revision=0,
            assessment_id=(
                r.ref(i, "assessment", assessment_ids, where) if linked is not None else None
            ),
        )
        session.add(irow)
        session.flush()
        for pos, step in enumerate(i.get("steps", [])):
            step = r.obj(step, f"{where}.steps[{pos}]")
            irow.revision += 1
            session.add(
                InterviewStepRow(
                    interview_id=irow.id,
                    position=pos,
                    revision=irow.revision,
                    question=str(step.get("question", "")),
                    answers=r.obj(step.get("answers", {}), f"{where}.steps[{pos}].answers"),
                    created_at=at,
                )
            )
    session.flush()
    return {
        "assessments": len(assessment_ids),
        "plans": len(plan_ids),
        "phase_history": len(moves),
        "checkins": len(checkins),
        "activities": len(activities),
        "interviews": len(kept),
    }
