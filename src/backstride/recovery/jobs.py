"""Background jobs: a large import, a PDF of the plan. One function runs each job, wherever it
runs: inline in the command (local mode, with a progress bar) or in a `backstride worker` (the
queue, in service mode). Progress, result and output go into the job's row, so any process can
show how far it has got, and a job that is run again after its worker died carries on.

Running a job again is safe: the import skips what an earlier attempt saved (each file is
committed as it is read, and duplicates are skipped), and a PDF is simply made again. Each
activity an import saves carries the job's id, so a job run again reports the files its earlier
attempts saved as its own (imported) and only what was there before it first started as
duplicates, for a folder as for an upload.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from backstride.clock import iso_utc, now
from backstride.errors import BackstrideError, InputError
from backstride.recovery.activities import FileResult, ImportSummary, import_sources
from backstride.recovery.workspace import open_store, person_session
from backstride.store import jobs as store_jobs
from backstride.store import records as rec

KINDS = ("import", "plan_pdf")
PROGRESS_EVERY = 0.5  # seconds between progress writes (and one at the end)
CLAIM_FILE = ".running"  # in an upload's folder: locked by the process importing it


@dataclass(frozen=True, slots=True)
class JobStatus:
    """What a page (or `backstride jobs`) shows about a job."""

    id: int
    kind: str
    status: str
    done: int
    total: int | None
    note: str
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    queued: bool
    has_output: bool
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The status as JSON (times in UTC)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "note": self.note,
            "result": self.result,
            "error": self.error,
            "attempts": self.attempts,
            "queued": self.queued,
            "has_output": self.has_output,
            "created_at": iso_utc(self.created_at),
            "updated_at": iso_utc(self.updated_at),
        }


def _status(row: Any) -> JobStatus:
    return JobStatus(
        id=row.id,
        kind=row.kind,
        status=row.status,
        done=row.done,
        total=row.total,
        note=row.note,
        result=row.result,
        error=row.error,
        attempts=row.attempts,
        queued=row.queue_id is not None,
        has_output=row.output is not None,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def import_args(paths: list[Path]) -> dict[str, Any]:
    """The arguments of an import job: absolute paths, so any worker finds them (on the shared
    upload folder in service mode). InputError for a path that does not exist."""
    for path in paths:
        if not path.exists():
            raise InputError(f"'{path}' does not exist")
    return {"paths": [str(p.resolve()) for p in paths]}


def save_upload(uploads: list[tuple[str, bytes]]) -> dict[str, Any]:
    """Write uploaded files to a new folder of the upload folder (every worker reads it) and
    return the arguments of their import job. Each file gets its own numbered subfolder, so two
    files of the same name do not clash; the job names each file as it was uploaded, reports
    every file's result, and removes the folder once it is done."""
    import uuid

    from backstride.paths import upload_folder

    folder = upload_folder() / uuid.uuid4().hex
    paths: list[Path] = []
    try:
        for n, (name, data) in enumerate(uploads):
            path = folder / str(n) / _file_name(name)
            path.parent.mkdir(parents=True)
            path.write_bytes(data)
            paths.append(path)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"cannot save the upload: {exc.strerror or exc}") from None
    return {**import_args(paths), "upload": str(folder.resolve())}


def _file_name(name: str) -> str:
    """An uploaded file's name as a file name of its own: no folders, no NUL, never '.' or '..'
    (the web app has already dropped any folder the browser sent)."""
    name = name.replace("\x00", "").replace("/", "_").replace("\\", "_").strip()
    return name if name not in ("", ".", "..") else "upload"


def _uploaded_name(name: str, folder: str) -> str:
    """A file's name as it was uploaded: the job's folder and its numbered subfolder dropped."""
    if not name.startswith(folder + os.sep):
        return name
    return name[len(folder) + 1 :].split(os.sep, 1)[-1]


class Claim:
    """An exclusive hold on an upload's import, for a process that runs it in a thread of its
    own (the local web app). The operating system's file lock goes with the process: a process
    that dies, even by kill -9, lets go of it, so a free claim on an unfinished job means nobody
    is running it any more."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def release(self) -> None:
        """Let go (the job is finished, or was never started)."""
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops its lock
            self._fd = None


def claim_upload(folder: str | Path) -> Claim | None:
    """Hold the import of the upload in ``folder``; None when another process holds it or the
    folder is gone. Where the system has no file locks (not POSIX) every claim succeeds: one
    process per machine is then assumed, as local mode runs."""
    try:
        fd = os.open(Path(folder) / CLAIM_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        import fcntl
    except ImportError:
        os.close(fd)
        return Claim(None)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return Claim(fd)


def _running_elsewhere(row: Any) -> bool:
    """Whether another live process holds this inline job's upload (it is under way there)."""
    folder = (row.args or {}).get("upload")
    if not folder or not Path(folder).is_dir():
        return False
    claim = claim_upload(folder)
    if claim is None:
        return True
    claim.release()
    return False


def create_job(
    kind: str,
    args: dict[str, Any],
    *,
    key: str = rec.LOCAL_PERSON,
    queue_id: int | None = None,
) -> int:
    """A new queued job of the person; returns its id. ``queue_id`` None: this process runs
    it (inline); otherwise the queue does."""
    if kind not in KINDS:
        raise ValueError(f"not a job kind: {kind}")
    with person_session(key) as (session, who):
        row = store_jobs.add_job(session, who, kind=kind, args=args, at=now())
        row.queue_id = queue_id
        return row.id


def create_inline_job(kind: str, args: dict[str, Any], *, key: str = rec.LOCAL_PERSON) -> int:
    """A job this process runs itself (local mode). Earlier inline jobs left queued or running
    are marked interrupted, as the process that ran them is gone; all but an upload that a live
    process (the local web app) is importing now."""
    with person_session(key) as (session, who):
        busy = [r.id for r in store_jobs.unfinished_inline(session, who) if _running_elsewhere(r)]
        store_jobs.interrupt_inline_jobs(session, who, at=now(), keep=busy)
    return create_job(kind, args, key=key)


def start_upload_job(args: dict[str, Any], *, key: str = rec.LOCAL_PERSON) -> tuple[int, Claim]:
    """A new import job for an upload saved by ``save_upload``, claimed for this process (which
    runs it in a thread: the local web app); its id and the claim to release once it is run."""
    claim = claim_upload(args["upload"])
    if claim is None:  # a fresh folder no one else knows of
        raise InputError("cannot lock the upload's folder")
    try:
        return create_job("import", args, key=key), claim
    except BaseException:
        claim.release()
        raise


def resumable_uploads(*, key: str = rec.LOCAL_PERSON) -> list[tuple[int, Claim]]:
    """The person's unfinished inline upload imports that no live process runs (the one that
    ran them stopped: Ctrl+C, a crash, kill -9), each claimed for this process to run again
    from the start: files the job saved before are skipped (and reported as added by it). An
    unfinished inline job whose upload folder is gone cannot be run again and is marked
    interrupted."""
    claimed: list[tuple[int, Claim]] = []
    lost: list[int] = []
    # The plain session, not person_session: a server starting on an empty database must not
    # create the person.
    with open_store().session() as session:
        who = rec.find_person(session, key)
        for row in store_jobs.unfinished_inline(session, who) if who else ():
            folder = (row.args or {}).get("upload")
            if row.kind != "import" or not folder:
                continue  # the command line's own jobs: it marks them itself
            claim = claim_upload(folder) if Path(folder).is_dir() else None
            if claim is not None:
                claimed.append((row.id, claim))
            elif not Path(folder).is_dir():
                lost.append(row.id)
        if who and lost:
            store_jobs.interrupt_jobs(session, who, lost, at=now())
    return claimed


def set_queue_id(job_id: int, queue_id: int, *, key: str = rec.LOCAL_PERSON) -> None:
    """Record the queue's id of a job handed to the queue."""
    with person_session(key) as (session, who):
        row = store_jobs.job(session, who, job_id)
        if row is not None:
            store_jobs.update_job(session, row, at=now(), queue_id=queue_id)


def job_status(job_id: int, *, key: str = rec.LOCAL_PERSON) -> JobStatus | None:
    """The person's job, or None (also for someone else's job: it is not theirs to see)."""
    with person_session(key) as (session, who):
        row = store_jobs.job(session, who, job_id)
        return None if row is None else _status(row)


def current_plan_pdf(*, key: str = rec.LOCAL_PERSON) -> int | None:
    """The newest finished PDF job made from the plan the person follows now (its id), or None;
    a PDF of a plan followed before does not count."""
    with person_session(key) as (session, who):
        plan = rec.latest_plan(session, who)
        row = store_jobs.newest_done(session, who, "plan_pdf")
        if plan is None or row is None:
            return None
        made_from = (row.result or {}).get("plan_made")
        return row.id if made_from == iso_utc(plan.created_at) else None


def job_output(job_id: int, *, key: str = rec.LOCAL_PERSON) -> bytes | None:
    """The bytes a finished job made (the PDF), or None."""
    with person_session(key) as (session, who):
        row = store_jobs.job(session, who, job_id)
        return None if row is None or row.status != "done" else row.output


def list_jobs(*, key: str = rec.LOCAL_PERSON, limit: int = 20) -> list[JobStatus]:
    """The person's newest jobs first."""
    with person_session(key) as (session, who):
        return [_status(r) for r in store_jobs.jobs(session, who, limit)]


def job_owner(job_id: int) -> str | None:
    """Whose job this is (the worker runs it for them)."""
    with open_store().session() as session:
        return store_jobs.job_owner(session, job_id)


def _update(job_id: int, key: str, **changes: Any) -> None:
    with person_session(key) as (session, who):
        row = store_jobs.job(session, who, job_id)
        if row is not None:
            store_jobs.update_job(session, row, at=now(), **changes)


def run_job(
    job_id: int,
    *,
    on_file: Callable[[FileResult], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> JobStatus:
    """Run a job to its end and return its final status.

    ``on_file`` sees each imported file (the command's progress bar); ``total`` is called with
    the number of files once they are counted. An error in the person's input (a path that is
    gone, no plan to print) fails the job with its message; any other error is recorded and
    raised again, so that the queue tries the job again.
    """
    key = job_owner(job_id)
    if key is None:
        raise InputError(f"no job {job_id}")
    with person_session(key) as (session, who):
        row = store_jobs.job(session, who, job_id)
        assert row is not None
        kind, args, attempts = row.kind, dict(row.args), row.attempts
        store_jobs.update_job(
            session, row, at=now(), status="running", attempts=attempts + 1, done=0, error=None
        )
    try:
        if kind == "import":
            result, output = _run_import(job_id, key, args, on_file, total), None
        else:
            result, output = _run_plan_pdf(key)
    except BackstrideError as exc:
        _update(job_id, key, status="failed", error=str(exc))
    except Exception as exc:
        _update(job_id, key, status="failed", error=f"{type(exc).__name__}: {exc}"[:500])
        raise
    else:
        _update(job_id, key, status="done", result=result, output=output, note="")
    found = job_status(job_id, key=key)
    assert found is not None
    return found


def _run_import(
    job_id: int,
    key: str,
    args: dict[str, Any],
    on_file: Callable[[FileResult], None] | None,
    total: Callable[[int], None] | None,
) -> dict[str, Any]:
    from backstride.ingest import FileProblem
    from backstride.ingest.sources import expand
    from backstride.recovery.progress import refresh

    try:
        paths = [Path(p) for p in args.get("paths", [])]
        sources = expand(paths)
    except FileProblem as exc:
        raise InputError(str(exc)) from None
    _update(job_id, key, total=len(sources), done=0)
    if total is not None:
        total(len(sources))
    counted = {"done": 0, "written": time.monotonic()}
    upload = args.get("upload")
    files: list[dict[str, Any]] = []
    # A job run again (its process or worker died mid-way) finds the files an earlier attempt
    # saved: they are this job's own, so they are reported as added, not duplicates.
    with person_session(key) as (session, who):
        saved_before = rec.saved_by(session, who, job_id)
    own = 0  # what an earlier attempt saved, which this one finds as duplicates

    def each(found: FileResult) -> None:
        nonlocal own
        counted["done"] += 1
        result = _own_earlier(found, saved_before.pop(found.name, 0))
        own += result.added - found.added
        if upload:
            files.append(
                {
                    "name": _uploaded_name(result.name, upload),
                    "added": result.added,
                    "duplicates": result.duplicates,
                    "problem": result.problem,
                }
            )
        moment = time.monotonic()
        if moment - counted["written"] >= PROGRESS_EVERY or counted["done"] == len(sources):
            # named as uploaded: the upload folder's path is the server's business
            shown = _uploaded_name(result.name, upload) if upload else result.name
            _update(job_id, key, done=counted["done"], note=shown[-200:])
            counted["written"] = moment
        if on_file is not None:
            on_file(result)

    summary: ImportSummary = import_sources(sources, each, person=key, job=job_id)
    with person_session(key) as (session, who):
        refresh(session, who)
    result: dict[str, Any] = {
        "files": summary.files,
        "imported": summary.imported + own,
        "duplicates": summary.duplicates - own,
        "failed": [{"file": n, "reason": r} for n, r in summary.failures],
    }
    if upload:
        # an upload's per-file results, named as uploaded; its files are no longer needed
        for failure in result["failed"]:
            failure["file"] = _uploaded_name(failure["file"], upload)
        result["results"] = files
        shutil.rmtree(upload, ignore_errors=True)
    return result


def _own_earlier(result: FileResult, saved_before: int) -> FileResult:
    """A file's result in an import job run again, given how many activities an earlier
    attempt of the job saved from that same file: the duplicates it finds are its own, so they
    count as added (no more than the file's duplicates)."""
    own = min(saved_before, result.duplicates)
    if not own:
        return result
    return replace(result, added=result.added + own, duplicates=result.duplicates - own)


def _run_plan_pdf(key: str) -> tuple[dict[str, Any], bytes]:
    """The PDF of the plan the person follows, made again from its assessment and settings."""
    from backstride.plan.exercises import load_exercise_library
    from backstride.plan.export.pdf import render_pdf
    from backstride.plan.generator import build_plan
    from backstride.plan.model import PersonSettings, parse_assessment

    with person_session(key) as (session, who):
        plan = rec.latest_plan(session, who)
        if plan is None:
            raise InputError("no plan yet: make one with `backstride plan` first")
        source = rec.assessment(session, who, plan.assessment_id)
        assert source is not None  # a plan's assessment goes only with the plan
        data, settings, made = source.result, dict(plan.settings or {}), plan.created_at
    person = PersonSettings(
        days_per_week=settings.get("days_per_week", 3),
        equipment=frozenset(settings.get("equipment", ["mat"])),
        athlete=settings.get("athlete"),
    )
    library = load_exercise_library()
    built = build_plan(parse_assessment(data, "the saved assessment"), person, library=library)
    pdf = render_pdf(built, library, created=made.date())
    return {"bytes": len(pdf), "plan_made": iso_utc(made)}, pdf
