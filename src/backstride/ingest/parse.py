"""One file's bytes to activity records: FIT, GPX and TCX, plain or gzip-compressed."""

from __future__ import annotations

import zlib

from backstride.ingest.limits import MAX_FILE_BYTES
from backstride.track.model import Activity

SUFFIXES = (".fit", ".gpx", ".tcx")


class FileProblem(Exception):
    """A file that cannot be imported, with the reason in plain words."""


def kind_of(name: str) -> tuple[str, bool] | None:
    """('fit'|'gpx'|'tcx', gzipped) from a file name, or None for other files."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for suffix in SUFFIXES:
        if lower.endswith(suffix):
            return suffix[1:], gz
    return None


def supported(name: str) -> bool:
    """True for the file names the importer reads."""
    return kind_of(name) is not None


def gunzip(data: bytes, limit: int = MAX_FILE_BYTES) -> bytes:
    """Decompress, refusing output over ``limit`` before it is all in memory."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise FileProblem(f"not a valid gzip file ({exc})") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise FileProblem(f"expands to more than {limit // (1024 * 1024)} MB: refused")
    if not inflater.eof:
        raise FileProblem("the gzip data is truncated")
    return out


def parse(name: str, data: bytes) -> tuple[Activity, ...]:
    """The activities in one file (a multisport FIT file holds several)."""
    kind = kind_of(name)
    if kind is None:
        raise FileProblem("not a FIT, GPX or TCX file")
    fmt, gz = kind
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: refused")
    if gz:
        data = gunzip(data)
    if fmt == "fit":
        from backstride.ingest.fit import parse_fit

        found = parse_fit(data, name)
    else:
        from backstride.ingest.xml import parse_gpx, parse_tcx

        found = parse_gpx(data, name) if fmt == "gpx" else parse_tcx(data, name)
    if not found:
        raise FileProblem("no activity with a start time was found in it")
    return found
