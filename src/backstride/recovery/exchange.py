"""Export everything to one JSON document, read it back, and forget it all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backstride.errors import InputError
from backstride.paths import last_assessment_path
from backstride.recovery.workspace import LOCAL_PERSON, person_session
from backstride.store import exchange
from backstride.store import records as rec


def export_document(*, person: str = LOCAL_PERSON) -> dict[str, Any]:
    """The person's whole record as one versioned document."""
    with person_session(person) as (session, who):
        return exchange.export_document(session, who)


def fhir_bundle(*, key: str = rec.LOCAL_PERSON) -> dict[str, Any]:
    """The person's whole record as a FHIR R4 (R4B) Bundle, validated (``backstride.fhir``)."""
    from backstride.fhir.bundle import person_bundle
    from backstride.kb import default_knowledge_base
    from backstride.recovery.assessments import versions

    return person_bundle(
        export_document(person=key), default_knowledge_base(), versions()[1], seed=key
    )


def _write_json(path: Path, doc: dict[str, Any], what: str) -> None:
    """Write JSON atomically (a temporary file, then renamed over ``path``)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write the {what} to '{path}': {exc.strerror or exc}") from None


def export_fhir_to(path: Path, *, key: str = rec.LOCAL_PERSON) -> dict[str, int]:
    """Write the FHIR Bundle to ``path`` (atomically); returns how many resources of each type."""
    bundle = fhir_bundle(key=key)
    _write_json(path, bundle, "FHIR bundle")
    counts: dict[str, int] = {}
    for entry in bundle.get("entry", []):
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def export_to(path: Path) -> dict[str, int]:
    """Write the export to ``path`` (atomically); returns how many records of each kind."""
    doc = export_document()
    _write_json(path, doc, "export")
    return {k: len(v) for k, v in doc.items() if isinstance(v, list)}


def holds_records(*, person: str = LOCAL_PERSON) -> bool:
    """True when the person has any assessment, plan, check-in or activity saved."""
    with person_session(person) as (session, who):
        counts = rec.count_rows(session, who)
    return any(n for table, n in counts.items() if table not in ("person", "job"))


def import_document(
    doc: Any, source: str = "export file", *, person: str = LOCAL_PERSON
) -> dict[str, int]:
    """Load an exported document into an empty database; counts per kind."""
    if holds_records(person=person):
        raise InputError(
            "the database already holds records: import-data only fills an empty one "
            "(`backstride export` them first, then `backstride forget`)"
        )
    with person_session(person) as (session, who):
        return exchange.import_document(session, who, doc, source)


def forget_everything(*, person: str = LOCAL_PERSON) -> dict[str, int]:
    """Delete every record of the person (and an old last_assessment.json); counts deleted."""
    with person_session(person) as (session, who):
        counts = rec.count_rows(session, who)
        rec.forget(session, who)
    if person == LOCAL_PERSON:  # the file an older version left is the local person's
        last_assessment_path().unlink(missing_ok=True)
    return {k: v for k, v in counts.items() if k != "person"}
