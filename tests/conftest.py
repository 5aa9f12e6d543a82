"""Shared fixtures: the packaged knowledge base, a tiny fixture KB, a private data home, and the
real `backstride` command run in-process (Typer's CliRunner) or in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backstride.cli.app import app
from backstride.kb import KnowledgeBase, default_knowledge_base, load_knowledge_base

TESTS = Path(__file__).parent
ROOT = TESTS.parent
# The reader's rules cache goes to a folder of this run, not the person's cache folder.
os.environ.setdefault("BACKSTRIDE_CACHE", tempfile.mkdtemp(prefix="backstride-test-cache-"))
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
    background = sys.modules.get("backstride.web.background")
    # an import a test server runs in the background finishes on this test's database
    assert background is None or background.wait_idle(300), "a background import never ended"
    close_stores()


class Result:
    """What a run of the command left: exit status, standard output and standard error."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def json(self) -> Any:
        """The JSON object on the last line of standard output."""
        return json.loads(self.out.strip().splitlines()[-1])


Run = Callable[..., Result]


def invoke(*args: str, stdin: str | bytes | None = None, now: str | None = None) -> Result:
    """Run `backstride ARGS` in this process. A crash (any exception but an exit) is raised, so a
    test sees the traceback a person would have seen. ``now`` sets the clock (BACKSTRIDE_NOW)."""
    env = {"BACKSTRIDE_NOW": now} if now else None
    r = CliRunner().invoke(app, list(args), input=stdin, env=env, catch_exceptions=False)
    return Result(r.exit_code, r.stdout, r.stderr)


def run_subprocess(
    *args: str | bytes, stdin: str | bytes | None = None, now: str | None = None
) -> Result:
    """Run `python -m backstride ARGS` as a separate process (argv bytes and start-up included)."""
    env = {**os.environ, "COLUMNS": "120"}
    if now:
        env["BACKSTRIDE_NOW"] = now
    proc = subprocess.run(
        [sys.executable, "-m", "backstride", *args],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=env,
        timeout=300,
    )
    return Result(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture
def run(private_home: Path) -> Run:
    """The real command, in-process; each test has its own BACKSTRIDE_HOME and database."""
    return invoke
