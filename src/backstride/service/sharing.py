"""Sharing with a clinician: single-use invite codes, revoking, what a clinician sees and may
change, and the audit log of it all that the person reads.

A clinician reaches a person only through ``store.accounts.shared_person`` (a share that exists
now), and every read and write of theirs is written to the person's audit log in the same
transaction, so nothing a clinician sees goes unrecorded.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from statistics import fmean
from typing import Any

from sqlalchemy.orm import Session

from backstride.clock import iso_utc, now
from backstride.recovery.workspace import open_store, person_session
from backstride.service.accounts import AccountError, Caller, digest
from backstride.settings import settings
from backstride.store import accounts as acc
from backstride.store import records as rec
from backstride.store.models import Account, Person

CODE_BYTES = 10  # 80 random bits, single use, short-lived: guessing one is hopeless
TREND_DAYS = 28
NOT_SHARED = "no person with this id shares with you"


def _code() -> str:
    raw = secrets.token_hex(CODE_BYTES).upper()
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


def normal_code(code: str) -> str:
    """An invite code as typed (any case, spaces or dashes) in its one form."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


# --- the person's side --------------------------------------------------------------------------


def create_invite(key: str) -> dict[str, Any]:
    """A new invite code for the person to give a clinician: it works once, for
    ``BACKSTRIDE_INVITE_MINUTES``."""
    code = _code()
    minutes = settings().invite_minutes
    with person_session(key) as (session, who):
        row = acc.add_invite(
            session, who, digest=digest(code), at=now(), lifetime=timedelta(minutes=minutes)
        )
        return {"code": code, "expires_at": iso_utc(row.expires_at)}


def sharing(key: str) -> dict[str, Any]:
    """The clinicians the person shares with."""
    with person_session(key) as (session, who):
        return {
            "clinicians": [
                {"id": s.clinician_id, "email": s.email, "since": iso_utc(s.since)}
                for s in acc.shares_of(session, who)
            ]
        }


def revoke(key: str, clinician_id: int) -> None:
    """Stop sharing with a clinician now (and drop unused invite codes); AccountError 404 when
    the person did not share with them."""
    with person_session(key) as (session, who):
        acc.drop_invites(session, who)
        if not acc.revoke_share(session, who, clinician_id):
            raise AccountError(404, "not_found", "you do not share with this clinician")


def audit_log(key: str) -> dict[str, Any]:
    """What clinicians read or changed of the person's, newest first, and their notes."""
    with person_session(key) as (session, who):
        return {
            "entries": [
                {
                    "at": iso_utc(r.at),
                    "clinician": r.clinician_email,
                    "action": r.action,
                    "detail": r.detail,
                }
                for r in acc.audit_log(session, who)
            ],
            "notes": _notes(session, who),
        }


def _notes(session: Session, who: Person) -> list[dict[str, Any]]:
    return [
        {"at": iso_utc(n.at), "clinician_id": n.clinician_id, "text": n.text}
        for n in acc.notes(session, who)
    ]


# --- the clinician's side -----------------------------------------------------------------------


def _clinician(session: Session, who: Caller) -> Account:
    account = session.get(Account, who.account_id)
    if account is None or account.role != "clinician":
        raise AccountError(403, "clinicians_only", "this is for clinician accounts")
    return account


def accept_invite(who: Caller, code: str) -> dict[str, Any]:
    """Spend a person's invite code: they share with this clinician from now on."""
    with open_store().session() as session:
        clinician = _clinician(session, who)
        person = acc.use_invite(session, digest(normal_code(code)), clinician, at=now())
        if person is None:
            raise AccountError(404, "invalid_code", "this code is unknown, used or expired")
        acc.audit(session, person, clinician, "share_accepted", "invite code used", at=now())
        return {"person": person.key}


@contextmanager
def _shared(who: Caller, person_key: str) -> Iterator[tuple[Session, Account, Person]]:
    with open_store().session() as session:
        clinician = _clinician(session, who)
        person = acc.shared_person(session, clinician, person_key)
        if person is None:
            raise AccountError(404, "not_found", NOT_SHARED)
        yield session, clinician, person


def pain_trend(values: list[int]) -> str:
    """better, worse, steady, or unknown: the mean of the latest three pain scores against the
    three before (a change of 1 point or more on 0-10 counts)."""
    if len(values) < 4:
        return "unknown"
    recent, before = fmean(values[-3:]), fmean(values[-6:-3])
    if recent <= before - 1:
        return "better"
    if recent >= before + 1:
        return "worse"
    return "steady"


def _summary(session: Session, who: Person) -> dict[str, Any]:
    latest = rec.latest_assessment(session, who)
    plan = rec.latest_plan(session, who)
    moves = rec.phase_moves(session, who, plan.id) if plan is not None else []
    since = now().date() - timedelta(days=TREND_DAYS)
    checks = rec.checkins(session, who, since)
    pains = [c.pain_now for c in checks if c.pain_now is not None]
    warning = any(value for c in checks for _, value in c.signs)
    flags = []
    if warning:
        flags.append("new_warning_sign")
    if moves and moves[-1].decision in ("step_back", "suspend"):
        flags.append("step_back")
    return {
        "person": who.key,
        "last_triage": latest.triage if latest is not None else None,
        "last_assessment_at": iso_utc(latest.created_at) if latest is not None else None,
        "current_phase": moves[-1].phase if moves else None,
        "step": moves[-1].step if moves else None,
        "pain_trend": pain_trend(pains),
        "pain_recent": pains[-6:],
        "flags": flags,
    }


def people(who: Caller) -> dict[str, Any]:
    """The people who share with this clinician, each with the last triage, the current phase,
    the pain trend and flags (a new warning sign, a step back). Each view is audited."""
    with open_store().session() as session:
        clinician = _clinician(session, who)
        out = []
        for person in acc.shared_people(session, clinician):
            out.append(_summary(session, person))
            acc.audit(session, person, clinician, "read_summary", "people list", at=now())
        return {"people": out}


def person_detail(who: Caller, person_key: str) -> dict[str, Any]:
    """One person's summary, notes and phase history (audited), and the rungs of their plan's
    ladder a clinician can move it to (``ladder``: phase, walk-run step, label)."""
    from backstride.track.state import plan_ladder

    with _shared(who, person_key) as (session, clinician, person):
        plan = rec.latest_plan(session, person)
        moves = rec.phase_moves(session, person, plan.id) if plan is not None else []
        rungs = plan_ladder(plan.document) if plan is not None else ()
        acc.audit(session, person, clinician, "read_detail", "summary, notes, phases", at=now())
        return {
            **_summary(session, person),
            "notes": _notes(session, person),
            "phases": [
                {"at": iso_utc(m.at), "decision": m.decision, "phase": m.phase, "step": m.step}
                for m in moves
            ],
            "ladder": [{"phase": r.phase, "step": r.step, "label": r.label} for r in rungs],
        }


def add_note(who: Caller, person_key: str, text: str) -> dict[str, Any]:
    """A clinician's note on a person who shares with them (audited)."""
    text = text.strip()
    if not text:
        raise AccountError(422, "invalid_input", "a note needs some text")
    with _shared(who, person_key) as (session, clinician, person):
        row = acc.add_note(session, person, clinician, text, at=now())
        acc.audit(session, person, clinician, "add_note", text[:200], at=now())
        return {"at": iso_utc(row.at), "text": row.text}


def adjust_phase(
    who: Caller, person_key: str, phase: str, step: int | None, reason: str
) -> dict[str, Any]:
    """Move the person's plan to a phase (and walk-run step) of its ladder, with a reason; the
    weekly decisions go on from there. Audited."""
    from backstride.track.state import plan_ladder

    reason = reason.strip()
    if not reason:
        raise AccountError(422, "invalid_input", "say why the phase changes (a reason)")
    with _shared(who, person_key) as (session, clinician, person):
        plan = rec.latest_plan(session, person)
        if plan is None:
            raise AccountError(409, "no_plan", "this person follows no plan yet")
        rungs = plan_ladder(plan.document)
        matches = [r for r in rungs if r.phase == phase and (step is None or r.step == step)]
        if not matches:
            known = ", ".join(sorted({r.phase for r in rungs}))
            raise AccountError(422, "invalid_phase", f"the plan's phases are: {known}")
        rung = matches[0]
        row = rec.add_phase_move(
            session,
            person,
            plan_id=plan.id,
            at=now(),
            decision="clinician",
            phase=rung.phase,
            step=rung.step,
            reason=f"set by a clinician: {reason}",
        )
        acc.audit(
            session, person, clinician, "adjust_phase", f"{rung.phase}: {reason}"[:200], at=now()
        )
        return {"phase": row.phase, "step": row.step, "reason": row.reason}


def fhir_bundle(who: Caller, person_key: str) -> dict[str, Any]:
    """The person's FHIR bundle (the export), for a clinician they share with (audited)."""
    from backstride.recovery.exchange import fhir_bundle as bundle

    with _shared(who, person_key) as (session, clinician, person):
        acc.audit(session, person, clinician, "read_fhir", "FHIR bundle downloaded", at=now())
    return bundle(key=person_key)
