"""The one clock: what time and day it is for backstride.

``BACKSTRIDE_NOW`` (an ISO 8601 date or date-time, UTC when no offset is given) fixes the clock.
It lets a recovery be replayed day by day through the real commands (the scripted tests do) and
makes exports reproducible. Without it, the system clock is used.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from backstride.errors import InputError


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    fixed = os.environ.get("BACKSTRIDE_NOW")
    if not fixed:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"BACKSTRIDE_NOW '{fixed}' is not an ISO 8601 date or time") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def today() -> date:
    """Today's date (in UTC, like every stored time)."""
    return now().date()


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second: ``2026-10-05T07:00:00Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso_utc(text: str) -> datetime:
    """The inverse of :func:`iso_utc` (any ISO 8601 time; naive means UTC)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
