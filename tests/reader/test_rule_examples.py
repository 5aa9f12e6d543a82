"""Every target rule is exercised: by an annotated story, a test, or an example of its own.

tests/reader/rule_examples.jsonl holds one example for each rule that nothing else exercises
(issue 9 counted 518 such rules; blind-8 showed that on unseen text they still read 2 stated
warning signs that nothing else read, so they were given examples rather than pruned). Each
example must read as its rule intends, so a later change that silently kills a rule (an
exclusion, a scope, a needs list) fails here.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import pytest

from backstride.reader import read_story

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def _examples() -> list[dict[str, Any]]:
    lines = (HERE / "rule_examples.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines if x.strip() and not x.startswith("//")]


EXAMPLES = _examples()


def test_every_example_reads_as_its_rule_intends() -> None:
    wrong = []
    for example in EXAMPLES:
        reading = read_story(example["text"])
        fid, want = example["finding"], example["reads"]
        if want == "uncertain":
            ok = fid in reading.uncertain_ids()
        else:
            ok = reading.evidence().as_dict().get(fid) == want
        if not ok:
            wrong.append((example["text"], fid, want))
    assert not wrong, wrong[:20]


def test_no_target_rule_is_unexercised() -> None:
    unused = runpy.run_path(str(ROOT / "scripts" / "rule_coverage.py"))["unexercised"]()
    assert unused == [], unused[:20]


@pytest.mark.parametrize("kind", ["hand", "shortest"])
def test_examples_say_how_they_were_made(kind: str) -> None:
    assert any(e["by"] == kind for e in EXAMPLES)
    assert all(e["by"] in ("hand", "shortest") for e in EXAMPLES)
