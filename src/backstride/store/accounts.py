"""Accounts, their tokens, sign-in failure counters, sharing and the audit log (service mode).

Like ``records``, every function takes an open Session, and every read of someone's records
takes whose: a clinician reaches a person only through :func:`shared_person`, which finds
nobody unless that person shares with that clinician now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backstride.store.models import (
    Account,
    AuditRow,
    AuthTokenRow,
    ClinicianNoteRow,
    InviteRow,
    Person,
    ShareRow,
    SignInFailureRow,
)

ROLES = ("person", "clinician")

# --- accounts -----------------------------------------------------------------------------------


def add_account(
    session: Session, *, email: str, password_hash: str, role: str, person_key: str, at: datetime
) -> Account:
    """A new account and its person (with ``person_key``); the email must be new."""
    if role not in ROLES:
        raise ValueError(f"not a role: {role}")
    account = Account(
        email=email, password_hash=password_hash, role=role, created_at=at, password_changed_at=at
    )
    session.add(account)
    session.flush()
    session.add(
        Person(
            key=person_key, created_at=at, equipment=[], psfs_activities=[], account_id=account.id
        )
    )
    session.flush()
    return account


def account_by_email(session: Session, email: str) -> Account | None:
    """The account with this (lower-cased) email."""
    return session.scalar(select(Account).where(Account.email == email))


def account_person(session: Session, account: Account) -> Person | None:
    """The account's person (gone only between a forget and the next request)."""
    return session.scalar(select(Person).where(Person.account_id == account.id))


def set_role(session: Session, account: Account, role: str) -> None:
    """Make the account a person or a clinician."""
    if role not in ROLES:
        raise ValueError(f"not a role: {role}")
    account.role = role
    session.flush()


def set_password(session: Session, account: Account, password_hash: str, *, at: datetime) -> None:
    """A new password hash; every token of the account but none is ended (see ``end_tokens``)."""
    account.password_hash = password_hash
    account.password_changed_at = at
    session.flush()


def delete_account(session: Session, account: Account) -> None:
    """The account, its person and every record of theirs, its tokens and its shares."""
    person = account_person(session, account)
    if person is not None:
        from backstride.store.records import forget

        forget(session, person)
    session.delete(account)
    session.flush()


# --- tokens -------------------------------------------------------------------------------------


def add_token(
    session: Session,
    account: Account,
    *,
    digest: str,
    kind: str,
    at: datetime,
    lifetime: timedelta,
) -> AuthTokenRow:
    """Keep a new token's digest (the token itself is never stored)."""
    row = AuthTokenRow(
        account_id=account.id,
        digest=digest,
        kind=kind,
        created_at=at,
        expires_at=at + lifetime,
    )
    session.add(row)
    session.flush()
    return row


def token_account(
    session: Session, digest: str, *, at: datetime
) -> tuple[AuthTokenRow, Account] | None:
    """The token with this digest and its account, unless it has expired."""
    found = session.execute(
        select(AuthTokenRow, Account)
        .join(Account, Account.id == AuthTokenRow.account_id)
        .where(AuthTokenRow.digest == digest, AuthTokenRow.expires_at > at)
    ).first()
    return None if found is None else (found[0], found[1])


def end_token(session: Session, digest: str) -> None:
    """End one session or token (sign-out)."""
    session.execute(delete(AuthTokenRow).where(AuthTokenRow.digest == digest))


def end_tokens(session: Session, account: Account, *, keep: str | None = None) -> int:
    """End every session and token of the account (but ``keep``); returns how many."""
    query = delete(AuthTokenRow).where(AuthTokenRow.account_id == account.id)
    if keep is not None:
        query = query.where(AuthTokenRow.digest != keep)
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def drop_expired_tokens(session: Session, *, at: datetime) -> int:
    """Delete tokens past their time."""
    result = session.execute(delete(AuthTokenRow).where(AuthTokenRow.expires_at <= at))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- sign-in failures ---------------------------------------------------------------------------


def failures(session: Session, key: str, *, at: datetime, window: timedelta) -> int:
    """Failed sign-ins counted under ``key`` in the current window."""
    row = session.get(SignInFailureRow, key)
    if row is None or row.window_start <= at - window:
        return 0
    return row.failures


def count_failure(session: Session, key: str, *, at: datetime, window: timedelta) -> int:
    """Count one more failure under ``key`` (a new window when the old one is over); the row
    is locked while it changes, so two workers cannot both write the same count."""
    row = session.scalar(
        select(SignInFailureRow).where(SignInFailureRow.key == key).with_for_update()
    )
    if row is None:
        session.add(SignInFailureRow(key=key, window_start=at, failures=1))
        session.flush()
        return 1
    if row.window_start <= at - window:
        row.window_start, row.failures = at, 0
    row.failures += 1
    session.flush()
    return row.failures


def clear_failures(session: Session, key: str) -> None:
    """Forget the failures under ``key`` (a successful sign-in of that account)."""
    session.execute(delete(SignInFailureRow).where(SignInFailureRow.key == key))


# --- sharing ------------------------------------------------------------------------------------


def add_invite(
    session: Session, who: Person, *, digest: str, at: datetime, lifetime: timedelta
) -> InviteRow:
    """A new invite code of the person's (its digest)."""
    row = InviteRow(person_id=who.id, digest=digest, created_at=at, expires_at=at + lifetime)
    session.add(row)
    session.flush()
    return row


def use_invite(session: Session, digest: str, clinician: Account, *, at: datetime) -> Person | None:
    """Spend an invite: the person shares with the clinician from now on. None for an unknown,
    used or expired code. The row is deleted as it is read, so a code works once."""
    row = session.scalar(select(InviteRow).where(InviteRow.digest == digest).with_for_update())
    if row is None:
        return None
    session.delete(row)
    session.flush()
    if row.expires_at <= at:
        return None
    person = session.get(Person, row.person_id)
    if person is None or person.account_id == clinician.id:
        return None
    exists = session.scalar(
        select(ShareRow).where(
            ShareRow.person_id == person.id, ShareRow.clinician_id == clinician.id
        )
    )
    if exists is None:
        session.add(ShareRow(person_id=person.id, clinician_id=clinician.id, created_at=at))
        session.flush()
    return person


def drop_invites(session: Session, who: Person) -> int:
    """Delete the person's unused invite codes."""
    result = session.execute(delete(InviteRow).where(InviteRow.person_id == who.id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Shared:
    """A clinician the person shares with."""

    clinician_id: int
    email: str
    since: datetime


def shares_of(session: Session, who: Person) -> list[Shared]:
    """The clinicians the person shares with, oldest first."""
    rows = session.execute(
        select(ShareRow, Account.email)
        .join(Account, Account.id == ShareRow.clinician_id)
        .where(ShareRow.person_id == who.id)
        .order_by(ShareRow.created_at, ShareRow.id)
    ).all()
    return [Shared(r[0].clinician_id, r[1], r[0].created_at) for r in rows]


def revoke_share(session: Session, who: Person, clinician_id: int) -> bool:
    """Stop sharing with one clinician now; False when the person did not share with them."""
    result = session.execute(
        delete(ShareRow).where(ShareRow.person_id == who.id, ShareRow.clinician_id == clinician_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def shared_people(session: Session, clinician: Account) -> list[Person]:
    """The people who share with the clinician now."""
    return list(
        session.scalars(
            select(Person)
            .join(ShareRow, ShareRow.person_id == Person.id)
            .where(ShareRow.clinician_id == clinician.id)
            .order_by(ShareRow.created_at, ShareRow.id)
        )
    )


def shared_person(session: Session, clinician: Account, person_key: str) -> Person | None:
    """The person with this key if they share with the clinician now, else None: the only way
    a clinician reaches anyone's records."""
    return session.scalar(
        select(Person)
        .join(ShareRow, ShareRow.person_id == Person.id)
        .where(Person.key == person_key, ShareRow.clinician_id == clinician.id)
    )


# --- notes and the audit log --------------------------------------------------------------------


def add_note(
    session: Session, who: Person, clinician: Account, text: str, *, at: datetime
) -> ClinicianNoteRow:
    """A clinician's note on the person."""
    row = ClinicianNoteRow(person_id=who.id, clinician_id=clinician.id, at=at, text=text)
    session.add(row)
    session.flush()
    return row


def notes(session: Session, who: Person) -> list[ClinicianNoteRow]:
    """The notes on the person, oldest first."""
    return list(
        session.scalars(
            select(ClinicianNoteRow)
            .where(ClinicianNoteRow.person_id == who.id)
            .order_by(ClinicianNoteRow.at, ClinicianNoteRow.id)
        )
    )


def audit(
    session: Session, who: Person, clinician: Account, action: str, detail: str, *, at: datetime
) -> None:
    """Write down that the clinician read or changed something of the person's."""
    session.add(
        AuditRow(
            person_id=who.id,
            clinician_id=clinician.id,
            clinician_email=clinician.email,
            at=at,
            action=action,
            detail=detail,
        )
    )
    session.flush()


def audit_log(session: Session, who: Person, limit: int = 500) -> list[AuditRow]:
    """The person's audit log, newest first."""
    return list(
        session.scalars(
            select(AuditRow)
            .where(AuditRow.person_id == who.id)
            .order_by(AuditRow.at.desc(), AuditRow.id.desc())
            .limit(limit)
        )
    )
