"""Story-only triage from the reader against the triage the annotation gives.

Usage: .venv/bin/python scripts/story_triage_check.py tests/reader/blind-9.jsonl

For each annotated story, the level `backstride check --story` would give (what was read) is
compared with the level the story's own annotation gives (what it states). Prints the stories
raised to emergency by a false reading, and those read as less urgent than the annotation: the
reader's misses that matter most. `backstride.reader.evaluation.triage_gaps` does the work.
"""

from __future__ import annotations

import sys
from pathlib import Path

from backstride.reader.evaluation import load_stories, triage_gaps


def main(argv: list[str]) -> int:
    """Check the file named in argv; print the gaps."""
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2])
        return 2
    stories = load_stories(Path(argv[0]))
    gaps = triage_gaps(stories)
    raised = [g for g in gaps if g.read == "emergency"]
    lower = [g for g in gaps if g not in raised]
    print(f"{len(stories)} stories")
    print(f"raised to emergency by a false reading: {len(raised)}")
    for g in raised:
        print(f"  {g.story}: stated {g.stated}, read {g.read}")
    print(f"read as less urgent than stated: {len(lower)}")
    for g in lower:
        print(f"  {g.story}: stated {g.stated}, read {g.read}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
