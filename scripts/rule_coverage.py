"""List the reader's target rules that no annotated story and no test exercises.

Usage: .venv/bin/python scripts/rule_coverage.py [-v]

A rule is exercised when its pattern (or phrase) matches somewhere in the annotated stories
(tests/reader/*.jsonl), the vignette stories (tests/vignettes/*.jsonl) or a string in the tests
and benchmarks. Exclusions and `needs` are not applied, so a match here is generous.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus() -> str:
    """Every story and every string literal of the tests, as one text."""
    texts: list[str] = []
    for path in sorted([*ROOT.glob("tests/reader/*.jsonl"), *ROOT.glob("tests/vignettes/*.jsonl")]):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("//"):
                item = json.loads(line)
                texts.append(str(item.get("text") or item.get("story") or ""))
    for path in sorted([*ROOT.glob("tests/**/*.py"), *ROOT.glob("benchmarks/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    return "\n".join(texts)


def unexercised() -> list[tuple[str, str, str]]:
    """(finding ids, kind, rule) for each phrase or pattern that matches nothing."""
    from backstride.reader.pipeline import phrase_pattern
    from backstride.reader.rules import LOWER_ASCII, fast_pattern, target_groups

    text = corpus()
    lowered = text.translate(LOWER_ASCII)
    out = []
    for group in target_groups():
        ids = ",".join(group.ids or (group.family_id or "",))
        for pattern in group.patterns:
            if not fast_pattern(pattern).spans(text, lowered):
                out.append((ids, "pattern", pattern))
        for phrase in group.phrases:
            if not fast_pattern(phrase_pattern((phrase,))).spans(text, lowered):
                out.append((ids, "phrase", phrase))
    return out


if __name__ == "__main__":
    found = unexercised()
    print(f"{len(found)} rules match no story and no test")
    if "-v" in sys.argv:
        for ids, kind, rule in found:
            print(f"{ids}\t{kind}\t{rule[:120]}")
