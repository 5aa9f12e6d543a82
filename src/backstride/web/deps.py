"""Dependencies every route takes.

``current_person`` is the one place that says whose records a request reads and writes. In local
mode (one person on their own machine) it is always the local person; service mode (accounts)
replaces this function with one that reads the session or bearer token, and the routes stay as
they are. Every query then goes through the store's person scoping, so another person's
interview is simply not found.
"""

from __future__ import annotations

from backstride.recovery.workspace import LOCAL_PERSON


def current_person() -> str:
    """The key of the person this request acts for."""
    return LOCAL_PERSON
