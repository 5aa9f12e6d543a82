"""`backstride export FILE` and `backstride import-data FILE`: everything saved, in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import console, fail, friendly_errors
from backstride.inputs import output_path, printable, read_json


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())


@friendly_errors
def export(
    file: Annotated[Path | None, typer.Argument(help="Where to write the JSON document.")] = None,
    fhir: Annotated[
        Path | None,
        typer.Option(
            "--fhir", help="Also (or only) write a FHIR R4 Bundle of everything to this file."
        ),
    ] = None,
) -> None:
    """Write everything backstride saved about you to one versioned JSON document.

    Times are ISO 8601 in UTC. `backstride import-data FILE` reads it back. With --fhir FILE,
    the same record goes to FILE as a FHIR R4 (4.3.0, R4B) Bundle for a clinician's system:
    the interview as a QuestionnaireResponse, each assessment as a ClinicalImpression, pain
    scores as Observations, each plan as a CarePlan (docs/fhir.md).
    """
    if file is None and fhir is None:
        fail("give a FILE for the JSON document, or --fhir FILE for a FHIR bundle (or both)")
    for target, what in ((file, "FILE"), (fhir, "--fhir")):
        if target is not None:
            output_path(target, what)  # an existing folder; no folder is created
    if file is not None:
        from backstride.recovery.exchange import export_to

        counts = export_to(file)
        console.print(f"Wrote {file}: {_counts(counts)}.", highlight=False, markup=False)
    if fhir is not None:
        from backstride.recovery.exchange import export_fhir_to

        kinds = export_fhir_to(fhir)
        shown = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
        console.print(f"Wrote {fhir} (FHIR R4 Bundle): {shown}.", highlight=False, markup=False)


@friendly_errors
def import_data(
    file: Annotated[Path, typer.Argument(help="A JSON document written by `backstride export`.")],
) -> None:
    """Read back a document written by `backstride export` into an empty database."""
    from backstride.recovery.exchange import import_document

    doc = read_json(file, "export file")
    counts = import_document(doc, f"export file '{printable(str(file))}'")
    console.print(f"Imported {file}: {_counts(counts)}.", highlight=False, markup=False)
