"""Shared fixtures: the packaged knowledge base, a tiny fixture KB, and a private data home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
