"""backstride: triage, possible causes and a phased plan for runners with low back or buttock pain.

It suggests possible causes to discuss with a clinician; it never claims a diagnosis.

The public names load the engine on first use, so `backstride --help` starts without it.
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
    # The public API is loaded on first use, so that a sub-package (the reader, say) can be
    # imported without the engine and the knowledge base: `backstride read` starts faster.
    if name in __all__:
        from backstride import api

        return getattr(api, name)
    raise AttributeError(f"module 'backstride' has no attribute {name!r}")
