"""Paths to import: files, folders and zip archives (Garmin and Strava exports), as named byte
sources. Sizes, compression ratios and member paths are checked before anything is read or
extracted, and every read is bounded, so a lying zip header cannot exhaust memory."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from backstride.ingest.limits import (
    MAX_ARCHIVE_BYTES,
    MAX_FILE_BYTES,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_NESTING,
    MAX_RATIO,
)
from backstride.ingest.parse import FileProblem, supported

MB = 1024 * 1024
# Below this size a high compression ratio is harmless (a GPX of one lap compresses well).
RATIO_FLOOR = 1 * MB


@dataclass(frozen=True, slots=True)
class Source:
    """One file to import: a name for people, and how to read its bytes (None: refused)."""

    name: str
    read: Callable[[], bytes] | None
    problem: str | None = None


def _refused(name: str, problem: str) -> Source:
    return Source(name, None, problem)


def expand(paths: Sequence[Path]) -> list[Source]:
    """Every importable file under these paths, in a stable order; problems are kept as
    refused sources so that they are reported. FileProblem for a path that does not exist."""
    out: list[Source] = []
    for path in paths:
        if not path.exists():
            raise FileProblem(f"'{path}' does not exist")
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    out += _from_file(Path(root) / name)
        else:
            out += _from_file(path, explicit=True)
    return out


def _from_file(path: Path, *, explicit: bool = False) -> list[Source]:
    name = str(path)
    is_zip = path.suffix.lower() == ".zip"
    if not (is_zip or supported(path.name)):
        return [_refused(name, "not a FIT, GPX, TCX or zip file")] if explicit else []
    try:
        info = path.stat()
    except OSError as exc:
        return [_refused(name, f"cannot read it ({exc.strerror})")]
    if not stat.S_ISREG(info.st_mode):
        return [_refused(name, "not a regular file")]
    if is_zip:
        try:
            # The archive stays open while its members are read (it closes with the sources).
            return list(_members(zipfile.ZipFile(path), name, 1))
        except (zipfile.BadZipFile, OSError) as exc:
            return [_refused(name, f"not a readable zip archive ({exc})")]
    if info.st_size > MAX_FILE_BYTES:
        return [_refused(name, f"larger than {MAX_FILE_BYTES // MB} MB: refused before parsing")]
    return [Source(name, lambda: _read_file(path))]


def _read_file(path: Path) -> bytes:
    with path.open("rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(f"larger than {MAX_FILE_BYTES // MB} MB: refused before parsing")
    return data


def _unsafe(member: str) -> bool:
    parts = PurePosixPath(member.replace("\\", "/")).parts
    return member.startswith(("/", "\\")) or ".." in parts or (bool(parts) and ":" in parts[0])


def _members(archive: zipfile.ZipFile, label: str, depth: int) -> Iterator[Source]:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        yield _refused(label, f"more than {MAX_MEMBERS} files in one archive: refused")
        return
    total = sum(i.file_size for i in infos)
    if total > MAX_ARCHIVE_BYTES:
        yield _refused(
            label, f"expands to {total // MB} MB, over {MAX_ARCHIVE_BYTES // MB} MB: refused"
        )
        return
    for info in sorted(infos, key=lambda i: i.filename):
        name = f"{label}:{info.filename}"
        nested = info.filename.lower().endswith(".zip")
        if not (nested or supported(info.filename)):
            continue
        if _unsafe(info.filename):
            yield _refused(name, "unsafe path inside the archive (absolute or '..'): refused")
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            yield _refused(
                name,
                f"expands to {info.file_size // MB} MB, over {MAX_MEMBER_BYTES // MB} MB: "
                "refused before extracting",
            )
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            yield _refused(
                name, f"compressed {ratio:.0f} to 1 (a zip bomb?): refused before extracting"
            )
            continue
        if nested:
            if depth >= MAX_NESTING:
                yield _refused(name, "zip archives nested too deep: refused")
                continue
            try:
                data = _read_member(archive, info)
                inner = zipfile.ZipFile(io.BytesIO(data))
            except (FileProblem, zipfile.BadZipFile) as exc:
                yield _refused(name, f"not a readable zip archive ({exc})")
                continue
            yield from _members(inner, name, depth + 1)
            continue
        yield Source(name, _reader(archive, info))


def _reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    return lambda: _read_member(archive, info)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, read no further than its declared size (headers can lie)."""
    limit = min(info.file_size, MAX_MEMBER_BYTES)
    try:
        with archive.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise FileProblem(f"cannot extract it ({exc})") from None
    except Exception as exc:  # zlib errors and the like from a damaged archive
        raise FileProblem(f"cannot extract it ({type(exc).__name__}: {exc})") from None
    if len(data) > limit:
        raise FileProblem("it expands beyond its declared size (a zip bomb?): refused")
    return data
