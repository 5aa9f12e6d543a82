"""Every setting backstride reads from the environment, in one class.

Each field is one variable, ``BACKSTRIDE_`` plus the field name in capitals; its description is
the documentation (docs/settings.md is generated from this class, and a test keeps the two
equal). Local use needs none of them. Service mode (``BACKSTRIDE_MODE=service``) needs a
PostgreSQL URL and a secret key, and ``check_service_settings`` in ``backstride.service``
refuses to start without them.

Import this module inside the functions that read a setting: pydantic-settings stays out of
``backstride --help`` that way (tests/cli/test_startup.py). On the local path three variables
are read straight from the environment instead (``paths.data_home``, ``store.db.database_url``
and ``service_mode``, ``clock.now``), so that a local command such as ``backstride log`` loads
no pydantic at all (0.85 s against 0.71 s end to end when it did); they are declared here all
the same, and tests/service/test_settings.py checks that both readings agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from backstride.errors import InputError

PREFIX = "BACKSTRIDE_"
MIB = 1024 * 1024
MIN_SECRET_KEY = 32  # characters: a token_urlsafe(32) or longer


class Settings(BaseSettings):
    """backstride's settings, read from ``BACKSTRIDE_*`` environment variables."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
        validate_default=True,
    )

    mode: Literal["local", "service"] = Field(
        default="local",
        description=(
            "`local`: one person, no sign-in, SQLite by default, the schema migrated when "
            "the database opens. `service`: sign-in required, PostgreSQL only, migrations "
            "applied at deploy by `backstride db upgrade`."
        ),
    )
    home: Path | None = Field(
        default=None,
        description=(
            "Folder for the SQLite database and other local files. Default "
            "`~/.local/share/backstride`."
        ),
    )
    cache: Path | None = Field(
        default=None,
        description=(
            "Folder for caches that can be deleted at any time (the story reader's checked "
            "rules, which make its start faster). Default `$XDG_CACHE_HOME/backstride`, else "
            "`~/.cache/backstride`."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "The database, e.g. `postgresql+psycopg://user@127.0.0.1:5432/backstride`. "
            "Default: SQLite in the home folder (local mode only)."
        ),
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description=(
            f"Signs sessions and tokens. Required in service mode, at least "
            f"{MIN_SECRET_KEY} characters; keep it out of the repository."
        ),
    )
    now: str | None = Field(
        default=None,
        description=(
            "Fixes the clock (an ISO 8601 date or time, UTC without an offset): tests and "
            "replays of a recovery. Never set in production."
        ),
    )
    pool_size: int = Field(
        default=5,
        ge=1,
        le=100,
        description=(
            "PostgreSQL connections each process keeps open (SQLAlchemy pool). "
            "See docs/deploy.md for the sizing sum."
        ),
    )
    pool_max_overflow: int = Field(
        default=5,
        ge=0,
        le=100,
        description="Extra connections a process may open above `POOL_SIZE` under a burst.",
    )
    pool_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long a request waits for a free connection before it fails.",
    )
    pool_recycle_seconds: int = Field(
        default=1800,
        ge=0,
        description="Connections older than this are replaced (0: never).",
    )
    max_body_bytes: int = Field(
        default=1 * MIB,
        ge=1024,
        description="Largest request body the web app accepts (JSON and forms).",
    )
    max_upload_bytes: int = Field(
        default=4096 * MIB,
        ge=MIB,
        description=(
            "Largest uploaded watch-file archive (a whole Garmin or Strava export). "
            "Each member is still limited as in `backstride import`."
        ),
    )
    upload_dir: Path | None = Field(
        default=None,
        description=(
            "Where uploaded archives wait for their import job: a folder every job worker "
            "can read (a shared volume). Default: `uploads` in the home folder."
        ),
    )
    upload_job_files: int = Field(
        default=5,
        ge=1,
        description=(
            "An upload of a zip, or of more than this many files, is imported as a job: in "
            "service mode by `backstride worker`, in local mode by the web process in the "
            "background. The API answers 202 with the job's status URL and the progress page "
            "shows the job's progress bar. A smaller upload is imported during the request."
        ),
    )
    worker_concurrency: int = Field(
        default=1,
        ge=1,
        le=32,
        description="Jobs one `backstride worker` process runs at once.",
    )
    worker_heartbeat_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How often a job worker tells the database it is alive.",
    )
    worker_stalled_seconds: float = Field(
        default=30.0,
        gt=0,
        description=(
            "A worker silent this long is taken for dead, and its running jobs are queued "
            "again (imports resume without duplicates). More than the heartbeat."
        ),
    )
    job_attempts: int = Field(
        default=3,
        ge=1,
        le=20,
        description="Times a job that fails with an error is tried before it is failed.",
    )

    session_hours: float = Field(
        default=12.0,
        gt=0,
        le=24 * 30,
        description=(
            "Service mode: a page session (cookie) ends this long after sign-in; signing out "
            "or changing the password ends it at once."
        ),
    )
    token_hours: float = Field(
        default=24.0,
        gt=0,
        le=24 * 90,
        description=(
            "Service mode: a bearer token from `POST /api/v1/auth/token` lasts this long."
        ),
    )
    cookie_secure: bool = Field(
        default=True,
        description=(
            "Service mode: session cookies are `Secure` and named `__Host-backstride_session`, "
            "sent over HTTPS only (behind the TLS proxy of docs/deploy.md). `false` only for "
            "plain HTTP on loopback (tests, a trial)."
        ),
    )
    forwarded_allow_ips: str = Field(
        default="",
        description=(
            "Addresses (comma-separated; CIDR ranges allowed, `*` for any) of the reverse "
            "proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` headers (or `Forwarded`, "
            "see `BACKSTRIDE_FORWARDED_HEADER`) are believed: a request from one of them is "
            "taken to come from the client address the proxy names (sign-in limits count per "
            "address). Empty (the default): no proxy is trusted and these headers are ignored."
        ),
    )
    forwarded_header: Literal["x-forwarded", "forwarded"] = Field(
        default="x-forwarded",
        description=(
            "Which header the trusted proxies of `BACKSTRIDE_FORWARDED_ALLOW_IPS` name the "
            "client in: `x-forwarded` (the default: `X-Forwarded-For` and `X-Forwarded-Proto`, "
            "as nginx and Caddy send them) or `forwarded` (RFC 7239 `Forwarded: for=...;"
            "proto=...`). Only that one is read; the other, which the proxy passes through "
            "from the client untouched, is ignored."
        ),
    )
    sign_in_window_seconds: int = Field(
        default=900,
        ge=10,
        description="Service mode: the window in which failed sign-ins are counted.",
    )
    sign_in_max_per_account: int = Field(
        default=5,
        ge=1,
        description=(
            "Service mode: failed sign-ins to one account in the window before its sign-in "
            "answers 429 until the window ends (counted in the database)."
        ),
    )
    sign_in_max_per_address: int = Field(
        default=20,
        ge=1,
        description=(
            "Service mode: failed sign-ins from one client address in the window before that "
            "address is answered 429 until the window ends."
        ),
    )
    invite_minutes: int = Field(
        default=60,
        ge=1,
        le=7 * 24 * 60,
        description="Service mode: how long a clinician invite code can be used (once).",
    )


def settings() -> Settings:
    """The settings as the environment gives them now (read afresh each time: cheap, and tests
    change the environment between calls). InputError names a variable with a bad value."""
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = PREFIX + str(error["loc"][0]).upper() if error["loc"] else "a setting"
        raise InputError(f"{name}: {error['msg']}") from None


def variable(field: str) -> str:
    """The environment variable of a field: ``database_url`` -> ``BACKSTRIDE_DATABASE_URL``."""
    return PREFIX + field.upper()


def settings_markdown() -> str:
    """docs/settings.md: a table of every variable, its default and what it does."""
    lines = [
        "# Settings",
        "",
        "Every setting comes from an environment variable. This table is generated from the",
        "settings class (`src/backstride/settings.py`) by `scripts/settings_doc.py`; a test keeps",
        "it equal. Local use needs none of them; service mode needs `BACKSTRIDE_MODE=service`,",
        "`BACKSTRIDE_DATABASE_URL` (PostgreSQL) and `BACKSTRIDE_SECRET_KEY`.",
        "",
        "| Variable | Default | What it does |",
        "| --- | --- | --- |",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "(none)" if default is None else f"`{default}`"
        text = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{variable(name)}` | {shown} | {text} |")
    return "\n".join(lines) + "\n"
