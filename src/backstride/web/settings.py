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
    zip_files: int = 1_000  # activity files inside one uploaded zip
    story_chars: int = MAX_STORY_CHARS


@dataclass(frozen=True, slots=True)
class Settings:
    """How the app runs."""

    mode: str = "local"  # one person on their own machine; "service" (accounts) is issue 13
    limits: Limits = field(default_factory=Limits)
    preload: bool = True  # load the knowledge base and the story reader at start-up
