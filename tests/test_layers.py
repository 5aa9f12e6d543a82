"""Nothing below imports anything above: each package's imports, read from its source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "backstride"
# package -> packages (and libraries) it must never import
FORBIDDEN = {
    "kb": {"engine", "plan", "track", "ingest", "store", "recovery", "cli", "sqlalchemy"},
    "engine": {"plan", "track", "ingest", "store", "recovery", "cli", "sqlalchemy"},
    "plan": {"track", "ingest", "store", "recovery", "cli", "sqlalchemy"},
    "track": {"ingest", "store", "recovery", "cli", "sqlalchemy", "engine"},
    "ingest": {"store", "recovery", "cli", "engine", "plan", "sqlalchemy"},
    "store": {"recovery", "cli", "ingest", "engine", "plan"},
    "recovery": {"cli"},
    "cli": {"sqlalchemy", "store"},  # commands reach the database only through recovery
}


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    out = set()
    for name in names:
        parts = name.split(".")
        out.add(parts[1] if parts[0] == "backstride" and len(parts) > 1 else parts[0])
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_a_layer_above_it(package: str) -> None:
    for path in sorted((SRC / package).rglob("*.py")):
        wrong = imported(path) & FORBIDDEN[package]
        assert not wrong, f"{path.relative_to(SRC)} imports {sorted(wrong)}"
