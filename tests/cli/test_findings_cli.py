"""`backstride findings`: every finding id with its question, for writing a facts file."""

from __future__ import annotations

import json
from pathlib import Path

from backstride.kb import KnowledgeBase
from tests.conftest import Run


def test_json_lists_every_finding_with_its_question(run: Run, kb: KnowledgeBase) -> None:
    r = run("findings", "--json")
    assert r.code == 0, r.err
    rows = r.json["findings"]
    assert [row["id"] for row in rows] == list(kb.finding_ids)
    for row in rows:
        finding = kb.finding(row["id"])
        assert row["question"] == finding.question
        assert row["category"] == finding.category
        assert row["red_flag"] is finding.red_flag
    assert any(row["red_flag"] for row in rows) and not all(row["red_flag"] for row in rows)


def test_the_table_marks_warning_signs(run: Run, kb: KnowledgeBase) -> None:
    r = run("findings")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    saddle = next(line for line in lines if line.lstrip("│ ").startswith("saddle_numbness"))
    runner = next(line for line in lines if line.lstrip("│ ").startswith("runner "))
    assert "!" in saddle and "!" not in runner
    assert f"{len(kb.findings)} findings" in r.out


def test_the_listed_ids_make_a_facts_file_that_check_accepts(run: Run, tmp_path: Path) -> None:
    rows = run("findings", "--json").json["findings"]
    facts = {row["id"]: False for row in rows if row["red_flag"]}
    facts["runner"] = True
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts))
    assert run("check", "--facts", str(path), "--json").code == 0


def test_check_help_points_to_findings(run: Run) -> None:
    r = run("check", "--help")
    assert "backstride findings" in " ".join(r.out.split())
