"""Accounts in service mode: sign-up, sign-in (rate-limited), tokens and page sessions, password
change, sign-out, deleting an account, and the clinician role.

Passwords are hashed with argon2 through pwdlib; nothing here is home-made crypto. Tokens are
``secrets.token_urlsafe(32)`` (256 bits); only their SHA-256 is stored, so ending a session is
deleting its row. Password rules follow OWASP ASVS 5.0 level 1: at least 8 characters, any
characters, no composition rules, and not one of the common passwords of zxcvbn's list
(docs/security.md).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from backstride.clock import now
from backstride.errors import BackstrideError
from backstride.recovery.workspace import open_store
from backstride.settings import Settings, settings
from backstride.store import accounts as acc
from backstride.store.models import Account, Person

MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # long passphrases welcome; a bound keeps argon2's work bounded
MAX_EMAIL = 320


class AccountError(BackstrideError):
    """An account request refused, with the HTTP status and code the web app answers."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


@cache
def _hasher() -> Any:
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    return PasswordHash((Argon2Hasher(),))


@cache
def common_passwords() -> frozenset[str]:
    """The common passwords refused at sign-up and password change: the 30,000 of zxcvbn's
    ``passwords`` list (MIT licence; from Mark Burnett's set of 10 million leaked passwords),
    compared in lower case so that ``Password1`` is refused as ``password1`` is."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password cannot be used, or None. Length and the common list only."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters (a few words work well)"
    if len(password) > MAX_PASSWORD:
        return f"a password may have at most {MAX_PASSWORD} characters"
    if password.lower() in common_passwords():
        return "this password is one of the most common ones: choose another"
    if email and password.lower() == email.lower():
        return "the password must not be the email address"
    return None


def normal_email(email: str) -> str:
    """The email as stored: trimmed and lower-cased; AccountError when it is not one."""
    email = email.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or len(email) > MAX_EMAIL or " " in email:
        raise AccountError(422, "invalid_email", "give an email address like name@example.org")
    return email


def digest(token: str) -> str:
    """What is stored of a token: its SHA-256 (tokens have 256 random bits, so no salt)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh token from the operating system's secure generator (256 bits)."""
    return secrets.token_urlsafe(32)


# --- sign-up, sign-in ---------------------------------------------------------------------------


def register(email: str, password: str, *, role: str = "person") -> int:
    """A new account (and its person); returns its id. AccountError for a taken email or a
    password that cannot be used."""
    email = normal_email(email)
    problem = password_problem(password, email)
    if problem:
        raise AccountError(422, "weak_password", problem)
    hashed = _hasher().hash(password)
    with open_store().session() as session:
        if acc.account_by_email(session, email) is not None:
            raise AccountError(400, "email_taken", "an account with this email exists: sign in")
        account = acc.add_account(
            session,
            email=email,
            password_hash=hashed,
            role=role,
            person_key=secrets.token_hex(16),
            at=now(),
        )
        return account.id


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session or bearer token."""

    token: str
    expires_at: datetime


def _limits_hit(session: Any, keys: tuple[str, str], config: Settings, at: datetime) -> bool:
    window = timedelta(seconds=config.sign_in_window_seconds)
    by_account = acc.failures(session, keys[0], at=at, window=window)
    by_address = acc.failures(session, keys[1], at=at, window=window)
    return (
        by_account >= config.sign_in_max_per_account or by_address >= config.sign_in_max_per_address
    )


def sign_in(email: str, password: str, *, address: str, kind: str) -> SignedIn:
    """Check the password and start a page session (``kind`` session: a cookie) or a bearer
    token. Failures are counted per account and per address in
    the database; past the limit the answer is 429 until the window ends, even for the right
    password, so guessing gains nothing."""
    config = settings()
    at = now()
    email = email.strip().lower()
    keys = (f"email:{email}", f"addr:{address}")
    window = timedelta(seconds=config.sign_in_window_seconds)
    with open_store().session() as session:
        if _limits_hit(session, keys, config, at):
            raise AccountError(
                429,
                "too_many_attempts",
                "too many failed sign-ins: wait a few minutes and try again",
            )
        account = acc.account_by_email(session, email)
        hasher = _hasher()
        if account is None:
            hasher.hash(password)  # the same work as a real check: no timing tells who exists
            ok = False
        else:
            ok, new_hash = hasher.verify_and_update(password, account.password_hash)
            if ok and new_hash:
                account.password_hash = new_hash
        if not ok:
            for key in keys:
                acc.count_failure(session, key, at=at, window=window)
    # the failures are committed above, before the refusal
    if not ok or account is None:
        raise AccountError(400, "bad_credentials", "wrong email or password")
    return _start(account.id, kind, config, clear=keys[0])


def _start(account_id: int, kind: str, config: Settings, *, clear: str | None = None) -> SignedIn:
    at = now()
    token = new_token()
    hours = config.session_hours if kind == "session" else config.token_hours
    with open_store().session() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise AccountError(400, "bad_credentials", "wrong email or password")
        if clear:
            acc.clear_failures(session, clear)
        acc.drop_expired_tokens(session, at=at)
        row = acc.add_token(
            session,
            account,
            digest=digest(token),
            kind=kind,
            at=at,
            lifetime=timedelta(hours=hours),
        )
        return SignedIn(token, row.expires_at)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a request comes from: the account, its role, its person's key, and how it signed in
    (``session``: a page cookie, ``bearer``: a token)."""

    account_id: int
    email: str
    role: str
    person_key: str
    kind: str
    token_digest: str


def caller(token: str, *, kind: str | None = None) -> Caller | None:
    """The account a token signs in, or None (unknown, ended or expired). The account's person
    is made again if the person deleted all their data."""
    hashed = digest(token)
    with open_store().session() as session:
        found = acc.token_account(session, hashed, at=now())
        if found is None or (kind is not None and found[0].kind != kind):
            return None
        row, account = found
        person = acc.account_person(session, account)
        if person is None:
            person = Person(
                key=secrets.token_hex(16),
                created_at=now(),
                equipment=[],
                psfs_activities=[],
                account_id=account.id,
            )
            session.add(person)
            session.flush()
        return Caller(account.id, account.email, account.role, person.key, row.kind, hashed)


def sign_out(token: str) -> None:
    """End this session or token now."""
    with open_store().session() as session:
        acc.end_token(session, digest(token))


def change_password(who: Caller, current: str, new: str) -> None:
    """A new password, given the current one; every other session and token of the account
    ends (the one in use stays)."""
    problem = password_problem(new, who.email)
    if problem:
        raise AccountError(422, "weak_password", problem)
    hasher = _hasher()
    with open_store().session() as session:
        account = session.get(Account, who.account_id)
        if account is None or not hasher.verify(current, account.password_hash):
            raise AccountError(400, "bad_credentials", "the current password is not right")
        acc.set_password(session, account, hasher.hash(new), at=now())
        acc.end_tokens(session, account, keep=who.token_digest)


def delete_account(who: Caller, password: str) -> None:
    """Delete the account, its person and every record of theirs, given the password."""
    with open_store().session() as session:
        account = session.get(Account, who.account_id)
        if account is None or not _hasher().verify(password, account.password_hash):
            raise AccountError(400, "bad_credentials", "the password is not right")
        acc.delete_account(session, account)


def set_role(email: str, role: str) -> None:
    """Make an account a clinician (or a person again): for the operator, never through the
    web app (no command wraps it yet: docs/deploy.md shows the one-line call)."""
    if role not in acc.ROLES:
        raise AccountError(422, "invalid_role", f"a role is one of: {', '.join(acc.ROLES)}")
    with open_store().session() as session:
        account = acc.account_by_email(session, normal_email(email))
        if account is None:
            raise AccountError(404, "not_found", f"no account with the email {email}")
        acc.set_role(session, account, role)
