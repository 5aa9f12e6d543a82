"""Shared fixtures: the packaged knowledge base, a tiny fixture KB, and a private data home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backstride.kb import KnowledgeBase, default_knowledge_base, load_knowledge_base

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


@pytest.fixture(scope="session")
def small_kb() -> KnowledgeBase:
    return load_knowledge_base(TESTS / "fixtures" / "kb_small")


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own BACKSTRIDE_HOME (and so its own database) so nothing touches
    the person's real data."""
    from backstride.recovery.workspace import close_stores

    home = tmp_path / "home"
    monkeypatch.setenv("BACKSTRIDE_HOME", str(home))
    monkeypatch.delenv("BACKSTRIDE_DATABASE_URL", raising=False)
    monkeypatch.delenv("BACKSTRIDE_NOW", raising=False)
    yield home
    close_stores()


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    @property
    def json(self) -> Any:
        return json.loads(self.out.strip().splitlines()[-1])


@pytest.fixture
def run(private_home: Path) -> Any:
    def _run(*args: str, stdin: str | None = None, now: str | None = None) -> Result:
        env = {**os.environ, "BACKSTRIDE_HOME": str(private_home), "COLUMNS": "120"}
        if now:
            env["BACKSTRIDE_NOW"] = now
        proc = subprocess.run(
            [sys.executable, "-m", "backstride", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        return Result(proc)

    return _run
