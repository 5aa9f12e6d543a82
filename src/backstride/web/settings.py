"""The web app's settings: its mode and the limits it enforces on every request."""

from __future__ import annotations

from dataclasses import dataclass, field

from backstride.ingest.limits import MAX_FILE_BYTES
from backstride.recovery.interviews import MAX_STORY_CHARS

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may carry. Each has its own error code (docs/web.md)."""

    body_bytes: int = 1 * MB  # a JSON body or a form (a story of 100,000 characters fits)
    upload_bytes: int = MAX_FILE_BYTES  # a whole upload request: watch files, a zip, an export
    upload_files: int = 20  # files in one upload
    story_chars: int = MAX_STORY_CHARS


def _mode() -> str:
    from backstride.settings import settings

    return settings().mode


def _forwarded_allow_ips() -> str:
    from backstride.settings import settings

    return settings().forwarded_allow_ips


def _forwarded_header() -> str:
    from backstride.settings import settings

    return settings().forwarded_header


@dataclass(frozen=True, slots=True)
class Settings:
    """How the app runs. ``mode`` follows ``BACKSTRIDE_MODE`` unless given; in service mode
    ``create_app`` checks the environment's settings and takes ``cookie_secure`` from them."""

    mode: str = field(default_factory=_mode)  # local: one person, no sign-in; service: accounts
    limits: Limits = field(default_factory=Limits)
    preload: bool = True  # load the knowledge base and the story reader at start-up
    cookie_secure: bool = True  # session cookies only over HTTPS (service mode)
    # the reverse proxies believed (BACKSTRIDE_FORWARDED_ALLOW_IPS)
    forwarded_allow_ips: str = field(default_factory=_forwarded_allow_ips)
    # which header they name the client in: x-forwarded, or forwarded (RFC 7239)
    forwarded_header: str = field(default_factory=_forwarded_header)
