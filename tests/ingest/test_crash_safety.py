"""An import killed with SIGKILL keeps every file it reported done, and nothing half-done."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.watchfiles import fit_file

FILES = 300
KILL_AFTER = 60
T0 = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)


def test_sigkill_midway_loses_nothing_reported_and_a_rerun_finishes(
    tmp_path: Path, private_home: Path
) -> None:
    folder = tmp_path / "watch"
    folder.mkdir()
    starts: dict[str, str] = {}
    for n in range(FILES):
        start = T0 + timedelta(hours=7 * n)
        name = f"{n:04d}.fit"
        (folder / name).write_bytes(fit_file(start, km=5.0 + n % 7))
        starts[name] = start.strftime("%Y-%m-%d %H:%M:%S")
    env = {
        **os.environ,
        "BACKSTRIDE_HOME": str(private_home),
        "BACKSTRIDE_NOW": "2026-12-01T00:00:00Z",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    command = [sys.executable, "-m", "backstride", "import", str(folder), "--verbose"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    done: list[str] = []
    for line in proc.stdout:
        if line.startswith("done "):
            done.append(Path(line.split()[1].rstrip(":")).name)
        if len(done) >= KILL_AFTER:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"

    db = sqlite3.connect(private_home / "backstride.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = db.execute("SELECT start, duration_s, distance_m, sport FROM activity").fetchall()
    saved = {r[0][:19] for r in rows}
    assert {starts[name] for name in done} <= saved, "a file reported done is missing"
    expected = {starts[n]: 5000.0 + 1000.0 * (int(n[:4]) % 7) for n in starts}
    for start, duration, distance, sport in rows:  # no partial activity
        assert start[:19] in expected and duration == 1800.0 and sport == "run"
        assert distance == expected[start[:19]]
    assert FILES > len(rows) >= len(done)
    db.close()

    second = subprocess.run([*command, "--json"], capture_output=True, text=True, env=env)
    assert second.returncode == 0, second.stderr
    db = sqlite3.connect(private_home / "backstride.db")
    total, distinct = db.execute("SELECT count(*), count(DISTINCT start) FROM activity").fetchone()
    db.close()
    assert total == distinct == FILES
    assert f'"duplicates": {len(rows)}' in second.stdout
