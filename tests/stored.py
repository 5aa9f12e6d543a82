"""What the commands saved in the test's own database (BACKSTRIDE_HOME is the test's)."""

from __future__ import annotations

from typing import Any

from backstride.recovery.assessments import saved_assessment
from backstride.recovery.workspace import close_stores


def saved() -> Any:
    """The assessment `check` saved last, as its JSON data, or None."""
    close_stores()
    found = saved_assessment()
    close_stores()
    return None if found is None else found.data
