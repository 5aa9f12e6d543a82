"""Run the real `backstride` command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


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
