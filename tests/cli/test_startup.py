"""A fast start: each command loads only what it uses (modules and YAML files), in a fresh process.

Timings are benchmarks (benchmarks/test_startup_bench.py); these tests check what is loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

MARK = "@@probe "
PROBE = f"""
import json, sys

opened = []


def watch(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].endswith(".yaml"):
        opened.append(args[0])


sys.addaudithook(watch)
from backstride.cli.app import main

sys.argv = ["backstride", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
finally:
    report = {{"code": code, "modules": sorted(sys.modules), "yaml": opened}}
    print({MARK!r} + json.dumps(report), file=sys.stderr)
"""
HEAVY = {"spacy", "medspacy", "fpdf"}
# issue 13: the service's libraries load only in the commands that use them
SERVICE = {"fhir", "procrastinate", "pydantic_settings", "sqlalchemy", "psycopg"}
DATA = {"yaml", "pydantic", "numpy"}


def probe(*args: str, home: Path) -> dict[str, Any]:
    env = {**os.environ, "BACKSTRIDE_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=300
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith(MARK))
    report: dict[str, Any] = json.loads(line.removeprefix(MARK))
    assert report["code"] in (0, None), proc.stderr
    report["top"] = {m.split(".")[0] for m in report["modules"]}
    report["folders"] = {Path(p).parent.name for p in report["yaml"]}
    return report


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("plan", "--help"),
        ("check", "--help"),
        ("read", "--help"),
        ("eval", "--help"),
        ("export", "--help"),
        ("db", "--help"),
        ("db", "upgrade", "--help"),
        ("worker", "--help"),
        ("jobs", "--help"),
    ],
)
def test_help_loads_no_engine_reader_exporter_or_yaml(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    report = probe(*args, home=tmp_path)
    assert report["top"] & (HEAVY | DATA | SERVICE) == set()
    assert report["yaml"] == []


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"runner": True, "pain_buttock": True, "saddle_numbness": False}))
    assessment = tmp_path / "a.json"
    assessment.write_text(
        json.dumps(
            {"triage": {"level": "soon"}, "findings": {"runner": True, "pain_buttock": True}}
        )
    )
    return {"facts": str(facts), "assessment": str(assessment), "html": str(tmp_path / "p.html")}


def test_check_with_facts_loads_the_knowledge_base_and_plan_rules_only(
    files: dict[str, str], tmp_path: Path
) -> None:
    report = probe("check", "--facts", files["facts"], "--json", home=tmp_path)
    assert report["top"] & HEAVY == set()
    assert report["folders"] == {"data"}  # no reader rules, no exercise library
    # the knowledge base, and the plan rules for the running advice the result carries
    assert all("/kb/data/" in p or p.endswith("/plan/data/plan_rules.yaml") for p in report["yaml"])


def test_findings_only_loads_the_knowledge_base(tmp_path: Path) -> None:
    report = probe("findings", "--json", home=tmp_path)
    assert report["top"] & HEAVY == set()
    assert all("/kb/data/" in p for p in report["yaml"])


def test_plan_loads_neither_the_reader_nor_fpdf_without_pdf(
    files: dict[str, str], tmp_path: Path
) -> None:
    report = probe(
        "plan", "--assessment", files["assessment"], "--html", files["html"], home=tmp_path
    )
    assert report["top"] & HEAVY == set()
    assert not any("/reader/rules/" in p for p in report["yaml"])
    assert any("plan_rules.yaml" in p for p in report["yaml"])


def test_the_probe_sees_the_reader_when_a_story_is_read(tmp_path: Path) -> None:
    report = probe("check", "--story", "sore low back", "--json", "--no-save", home=tmp_path)
    assert {"spacy", "medspacy"} <= report["top"]
    assert "fpdf" not in report["top"]
    assert any("/reader/rules/" in p for p in report["yaml"])
    # each file opened once: parsed once per process
    assert len(report["yaml"]) == len(set(report["yaml"]))
