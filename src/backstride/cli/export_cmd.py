"""`backstride export FILE` and `backstride import-data FILE`: everything saved, in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import console, friendly_errors
from backstride.inputs import output_path, printable, read_json


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())


@friendly_errors
def export(
    file: Annotated[Path, typer.Argument(help="Where to write the JSON document.")],
) -> None:
    """Write everything backstride saved about you to one versioned JSON document.

    Times are ISO 8601 in UTC. `backstride import-data FILE` reads it back.
    """
    from backstride.recovery.exchange import export_to

    output_path(file, "FILE")  # an existing folder; no folder is created
    counts = export_to(file)
    console.print(f"Wrote {file}: {_counts(counts)}.", highlight=False, markup=False)


@friendly_errors
def import_data(
    file: Annotated[Path, typer.Argument(help="A JSON document written by `backstride export`.")],
) -> None:
    """Read back a document written by `backstride export` into an empty database."""
    from backstride.recovery.exchange import import_document

    doc = read_json(file, "export file")
    counts = import_document(doc, f"export file '{printable(str(file))}'")
    console.print(f"Imported {file}: {_counts(counts)}.", highlight=False, markup=False)
