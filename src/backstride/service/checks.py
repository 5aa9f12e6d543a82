"""What service mode needs before it starts: a secret key, PostgreSQL, and a schema that
`backstride db upgrade` has brought up to date. Each problem is one line that says what to do."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from backstride.errors import BackstrideError
from backstride.settings import MIN_SECRET_KEY, Settings, settings, variable
from backstride.store import SCHEMA_VERSION, StoreError
from backstride.store.db import pending_message, schema_revision, shown_url


class ServiceSettingsError(BackstrideError):
    """Service mode cannot start with these settings or this database."""


def check_service_settings(config: Settings | None = None) -> Settings:
    """Refuse to start service mode on a database with unapplied migrations, with no secret key,
    or on SQLite; returns the settings. Local mode passes as it is (it migrates on open)."""
    config = config or settings()
    if config.mode != "service":
        return config
    key = config.secret_key.get_secret_value() if config.secret_key else ""
    if not key:
        raise ServiceSettingsError(
            f"{variable('secret_key')} is not set: service mode signs sessions with it; set it "
            f"to a random string of at least {MIN_SECRET_KEY} characters (python -c 'import "
            "secrets; print(secrets.token_urlsafe(48))')"
        )
    if len(key) < MIN_SECRET_KEY:
        raise ServiceSettingsError(
            f"{variable('secret_key')} is {len(key)} characters long: service mode needs at "
            f"least {MIN_SECRET_KEY}"
        )
    url = (config.database_url or "").strip()
    if not url:
        raise ServiceSettingsError(
            f"{variable('database_url')} is not set: service mode runs on PostgreSQL "
            "(postgresql+psycopg://user@host:5432/backstride)"
        )
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise ServiceSettingsError(f"{variable('database_url')} is not a database URL") from None
    if backend != "postgresql":
        raise ServiceSettingsError(
            f"service mode runs on PostgreSQL, not {backend} ({variable('database_url')}="
            f"{shown_url(url)}): many processes share one database, and SQLite is one file "
            "on one machine"
        )
    try:
        at = schema_revision(url)
    except StoreError as exc:
        raise ServiceSettingsError(str(exc)) from None
    if at != SCHEMA_VERSION:
        raise ServiceSettingsError(pending_message(url, at))
    return config
