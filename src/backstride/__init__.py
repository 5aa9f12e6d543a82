"""backstride: triage, possible causes and a phased plan for runners with low back or buttock pain.

It suggests possible causes to discuss with a clinician; it never claims a diagnosis.
"""

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
