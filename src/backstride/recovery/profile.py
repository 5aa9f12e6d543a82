"""The person's profile."""

from __future__ import annotations

from typing import Any

from backstride.recovery.workspace import LOCAL_PERSON, person_session
from backstride.store import records as rec


def update_profile(*, person: str = LOCAL_PERSON, **changes: Any) -> dict[str, Any]:
    """Set the given fields (None leaves one as it is) and return the whole profile."""
    with person_session(person) as (session, who):
        rec.update_profile(session, who, **changes)
        return rec.profile(who)
