"""Nothing below imports anything above: each package's imports, read from its source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "backstride"
# package -> packages (and libraries) it must never import
WEB = {"web", "fastapi", "starlette", "uvicorn", "jinja2"}
SERVICE = {"recovery", "service", "cli", "fhir"}  # the layers of issue 13, above the store
FORBIDDEN = {
    "kb": {"engine", "plan", "track", "ingest", "store", "sqlalchemy", *SERVICE, *WEB},
    "engine": {"plan", "track", "ingest", "store", "sqlalchemy", *SERVICE, *WEB},
    "plan": {"track", "ingest", "store", "sqlalchemy", *SERVICE, *WEB},
    "track": {"ingest", "store", "sqlalchemy", "engine", *SERVICE, *WEB},
    "ingest": {"store", "engine", "plan", "sqlalchemy", *SERVICE, *WEB},
    "store": {"ingest", "engine", "plan", *SERVICE, *WEB},
    "recovery": {"service", "cli", "procrastinate", *WEB},
    # the service (start-up checks, the job queue and its workers) sits on recovery
    "service": {"cli", *WEB},
    # FHIR is pure: the export document and the knowledge base in, a Bundle out ("fhir" is
    # also the fhir.resources library, which only this package and those above it load)
    "fhir": {"engine", "plan", "track", "ingest", "store", "sqlalchemy", *SERVICE - {"fhir"}, *WEB},
    # commands reach the database (and the FHIR export) only through recovery
    "cli": {"sqlalchemy", "store", "procrastinate", "fhir"},
    # the web app reaches the database only through recovery too, and shares no code with the
    # terminal's rendering
    "web": {"sqlalchemy", "store", "cli"},
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
