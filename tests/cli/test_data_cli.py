"""`export`, `import-data` and `forget` through the real command, and what `--help` imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from backstride.recovery.exchange import holds_records
from backstride.recovery.workspace import close_stores

FACTS = {"runner": True, "pain_buttock": True, "worse_sitting": True}


def test_help_leaves_the_heavy_libraries_unloaded() -> None:
    code = (
        "import sys\n"
        "from backstride.cli.app import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'sqlalchemy', 'matplotlib', 'fitdecode', 'spacy', 'numpy', 'fpdf'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_export_import_round_trip_through_the_commands(run: Any, tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS))
    assert run("check", "--facts", str(facts), "--json").code == 0
    assert run("plan", "--days", "4").code == 0
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    r = run("export", str(first), now="2026-11-01T10:00:00Z")
    assert r.code == 0, r.err
    doc = json.loads(first.read_text())
    assert doc["format"] == "backstride-export" and doc["plans"][0]["assessment"] == 1
    assert run("forget", "--yes").code == 0
    assert run("import-data", str(first)).code == 0, "import into the emptied database"
    assert run("export", str(second), now="2026-11-01T10:00:00Z").code == 0
    assert json.loads(second.read_text()) == doc
    again = run("import-data", str(first))
    assert again.code == 2 and "already holds records" in again.err


def test_forget_needs_the_typed_word(run: Any, tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS))
    assert run("check", "--facts", str(facts), "--json").code == 0
    r = run("forget", stdin="yes\n")
    assert r.code == 2 and "nothing was deleted" in r.err
    close_stores()
    assert holds_records()
    close_stores()
    r = run("forget", stdin="forget\n")
    assert r.code == 0, r.err
    assert not holds_records()


def test_import_data_of_a_bad_file_is_one_line(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "backstride-export", "version": 7}')
    r = run("import-data", str(bad))
    assert r.code == 2 and "version 7" in r.err and "Traceback" not in r.err
