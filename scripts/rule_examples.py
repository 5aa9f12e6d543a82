"""Write an example for each target rule that no story and no test exercises.

Usage: .venv/bin/python scripts/rule_examples.py [--write]

For each rule listed by scripts/rule_coverage.py, build the shortest plain wording the rule
matches (the first alternative of each choice, the fewest repeats, "a" for a free word), put
it in a sentence of its own (with a pain word when the rule's group needs one), and read it.
An example is kept when the reader gives the rule's finding with the rule's value (or asks it
early, for a group whose affirmed mentions are uncertain): the example then guards the rule
against a later change that silently kills it (an exclusion, a scope, a needs list). Rules
whose shortest wording does not read as intended are printed: each needs a hand-written
example or pruning. `--write` appends the examples to tests/reader/rule_examples.jsonl, which
tests/reader/test_rule_examples.py reads.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

try:  # Python 3.11+
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "reader" / "rule_examples.jsonl"
_PAIN = {"pain": " and it hurts", "worse": " and it hurts", "better": " and it helps"}


def shortest(pattern: str) -> str | None:
    """The shortest plain wording a pattern matches, or None when it cannot be built."""

    def walk(items: Any) -> str:
        out = []
        for op, arg in items:
            if op is sre_constants.LITERAL:
                out.append(chr(arg))
            elif op is sre_constants.SUBPATTERN:
                out.append(walk(arg[-1]))
            elif op is sre_constants.BRANCH:
                out.append(walk(arg[1][0]))
            elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
                low, _high, sub = arg
                out.append(walk(sub) * low)
            elif op is sre_constants.IN:
                out.append(_char(arg))
            elif op is sre_constants.CATEGORY or op is sre_constants.ANY:
                out.append("a")
            elif op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                continue
            elif op is sre_constants.NOT_LITERAL:
                out.append("a" if arg != ord("a") else "b")
            else:
                raise ValueError(op)
        return "".join(out)

    try:
        return walk(sre_parse.parse(pattern))
    except (ValueError, re.error, TypeError):
        return None


def _char(items: Any) -> str:
    op, arg = items[0]
    if op is sre_constants.LITERAL:
        return chr(arg)
    if op is sre_constants.RANGE:
        return chr(arg[0])
    if op is sre_constants.NEGATE:
        return "a"
    return "a"


def examples() -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """(examples that read as intended, rules left without one)."""
    import runpy

    from backstride.reader import read_story
    from backstride.reader.pipeline import phrase_pattern
    from backstride.reader.rules import LOWER_ASCII, fast_pattern, target_groups

    unused = {
        (kind, rule)
        for _, kind, rule in runpy.run_path(str(ROOT / "scripts" / "rule_coverage.py"))[
            "unexercised"
        ]()
    }
    kept: list[dict[str, Any]] = []
    left: list[tuple[str, str, str]] = []
    for group in target_groups():
        rules = [("phrase", p) for p in group.phrases] + [("pattern", p) for p in group.patterns]
        for kind, rule in rules:
            if (kind, rule) not in unused:
                continue
            ids = ",".join(group.ids)
            words = rule if kind == "phrase" else shortest(rule)
            regex = phrase_pattern((rule,)) if kind == "phrase" else rule
            if not words or not group.ids or group.affirmed == "ignore":
                left.append((ids, kind, rule))
                continue
            text = words.strip() + _PAIN.get(group.needs or "", "") + "."
            text = text[0].upper() + text[1:]
            if not fast_pattern(regex).spans(text, text.translate(LOWER_ASCII)):
                left.append((ids, kind, rule))
                continue
            reading = read_story(text)
            evidence = reading.evidence().as_dict()
            unsure = set(reading.uncertain_ids())
            fid = group.ids[0]
            if group.affirmed == "uncertain":
                ok, expect = fid in unsure, "uncertain"
            else:
                ok, expect = evidence.get(fid) == group.value, group.value
            if ok:
                kept.append({"text": text, "finding": fid, "reads": expect, "by": "shortest"})
            else:
                left.append((ids, kind, rule))
    return kept, left


if __name__ == "__main__":
    found, missing = examples()
    print(f"{len(found)} examples read as intended; {len(missing)} rules left")
    for ids, kind, rule in missing:
        print(f"{ids}\t{kind}\t{rule[:110]}")
    if "--write" in sys.argv and found:
        with OUT.open("a", encoding="utf-8") as out:
            for item in found:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
