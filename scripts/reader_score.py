"""Score the story reader on an annotated stories file, closed and as written.

Usage: .venv/bin/python scripts/reader_score.py tests/reader/blind-5.jsonl [-v]

Prints, for both ways of scoring (`backstride.reader.evaluation.score`, `closed=True` and as
written), precision and recall overall and per category, the stated warning signs read (a "yes"
read as yes or as uncertain counts), and the false warning-sign yeses. `-v` also lists every
disagreement of the closed scoring.
"""

from __future__ import annotations

import sys
from pathlib import Path

from backstride.reader.evaluation import Score, load_stories, score


def report(name: str, result: Score) -> list[str]:
    """The lines of one scoring's figures."""
    lines = [f"== {name} ({result.stories} stories)"]
    lines.append(f"{'group':<14} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6}")
    for group, tp, fp, fn, p, r in result.table():
        lines.append(f"{group:<14} {tp:>5} {fp:>5} {fn:>5} {p:>6.3f} {r:>6.3f}")
    yes = result.groups.get("red_flag_yes")
    if yes is not None:
        lines.append(
            f"warning signs stated and read (yes or uncertain): {yes.tp} of {yes.tp + yes.fn}; "
            f"false warning-sign yeses: {yes.fp}"
        )
    return lines


def main(argv: list[str]) -> int:
    """Score the file named in argv; print the figures."""
    paths = [a for a in argv if not a.startswith("-")]
    if len(paths) != 1:
        print(__doc__.strip().splitlines()[2])
        return 2
    stories = load_stories(Path(paths[0]))
    closed = score(stories, closed=True)
    written = score(stories)
    print("\n".join([*report("closed", closed), "", *report("as written", written)]))
    if "-v" in argv:
        for m in closed.misses:
            print(f"{m.story}\t{m.finding}\texpected={m.expected}\tread={m.got}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
