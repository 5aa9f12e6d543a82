"""backstride: triage, possible causes and a phased plan for runners with low back or buttock pain.

It suggests possible causes to discuss with a clinician; it never claims a diagnosis.
The API names below load on first use, so that `import backstride.<module>` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backstride.api import (
        Assessment,
        Evidence,
        Interview,
        assess,
        read_story_evidence,
        start_interview,
    )

__all__ = [
    "Assessment",
    "Evidence",
    "Interview",
    "assess",
    "read_story_evidence",
    "start_interview",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from backstride import api

        return getattr(api, name)
    raise AttributeError(f"module 'backstride' has no attribute {name!r}")
