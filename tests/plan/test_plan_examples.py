"""docs/plans holds one current worked example per vocabulary condition."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from backstride.plan.exercises import VOCABULARY_CONDITION_IDS

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_example_plans.py"
DOCS = ROOT / "docs" / "plans"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example_plans", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_condition_has_an_example_page() -> None:
    pages = {p.stem for p in DOCS.glob("*.md")} - {"README"}
    assert pages == VOCABULARY_CONDITION_IDS


@pytest.mark.parametrize("condition", sorted(VOCABULARY_CONDITION_IDS))
def test_example_is_tailored_to_its_condition(condition: str) -> None:
    plan = _script().example_plan(condition)
    if plan.exercise_plan:
        assert plan.leading is not None and plan.leading.id == condition
    else:
        assert plan.triage in ("urgent", "emergency")
        assert any(i.kind == "stop" for i in plan.phases[0].items)


def test_docs_are_up_to_date(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True
    )
    stale = [
        p.relative_to(tmp_path).as_posix()
        for p in sorted(tmp_path.rglob("*"))
        if p.is_file()
        and (
            not (DOCS / p.relative_to(tmp_path)).exists()
            or (DOCS / p.relative_to(tmp_path)).read_bytes() != p.read_bytes()
        )
    ]
    assert not stale, f"docs/plans is stale, run scripts/make_example_plans.py: {stale[:5]}"
