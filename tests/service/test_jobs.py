"""Background jobs: the same job function inline (local mode, SQLite) and in `backstride worker`
(PostgreSQL), its progress in the database, and a worker killed with SIGKILL mid-import: the job
is run again by another worker and finishes with every file once. A job run again reports the
files its earlier attempt saved as imported, and only the files saved before it first started
(by a separate, earlier import) as duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from backstride.recovery.activities import FileResult
from backstride.recovery.jobs import (
    create_job,
    import_args,
    job_status,
    list_jobs,
    run_job,
    save_upload,
)
from backstride.recovery.workspace import close_stores
from tests.conftest import Run
from tests.watchfiles import fit_file

T0 = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
NOW = "2026-12-01T00:00:00Z"
FACTS = {"runner": True, "pain_buttock": True, "worse_sitting": True}


def watch_folder(folder: Path, files: int) -> Path:
    folder.mkdir()
    for n in range(files):
        (folder / f"{n:04d}.fit").write_bytes(fit_file(T0 + timedelta(hours=7 * n), km=5.0))
    return folder


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKSTRIDE_NOW", NOW)


# --- local mode: inline ------------------------------------------------------------------------


def test_a_local_import_is_a_job_run_inline(run: Run, tmp_path: Path) -> None:
    folder = watch_folder(tmp_path / "watch", 6)
    r = run("import", str(folder), "--json")
    assert r.code == 0, r.err
    assert r.json == {"files": 6, "imported": 6, "duplicates": 0, "failed": []}
    [job] = run("jobs", "--json").json["jobs"]
    assert (job["kind"], job["status"], job["done"], job["total"]) == ("import", "done", 6, 6)
    assert job["attempts"] == 1 and job["queued"] is False and job["result"] == r.json
    again = run("import", str(folder), "--json")  # the second job skips every file
    assert again.json["duplicates"] == 6 and len(list_jobs()) == 2


class WorkerDied(Exception):
    """Stands for whatever stops an attempt mid-way (the queue runs a failed job again)."""


@pytest.mark.parametrize("kind", ["folder", "upload"])
def test_a_job_run_again_counts_its_own_earlier_files_as_imported(
    run: Run, tmp_path: Path, kind: str
) -> None:
    """An attempt that stops after 5 of 10 files, then the same job again: the files the first
    attempt saved are the job's own (imported), the files a separate, earlier import saved
    before the job started are duplicates, on either side of where the attempt stopped."""
    folder = watch_folder(tmp_path / "watch", 10)
    names = sorted(p.name for p in folder.iterdir())
    earlier = [folder / names[n] for n in (0, 3, 7)]  # imported by a separate, earlier import
    assert run("import", *map(str, earlier), "--json").json["imported"] == 3
    if kind == "folder":
        args = import_args([folder])
    else:
        args = save_upload([(name, (folder / name).read_bytes()) for name in names])
    job_id = create_job("import", args)

    def stop_after_five(result: FileResult) -> None:
        seen.append(result)
        if len(seen) == 5:
            raise WorkerDied

    seen: list[FileResult] = []
    with pytest.raises(WorkerDied):
        run_job(job_id, on_file=stop_after_five)
    first = job_status(job_id)
    assert first is not None and (first.status, first.attempts) == ("failed", 1)
    assert [(r.added, r.duplicates) for r in seen] == [(0, 1), (1, 0), (1, 0), (0, 1), (1, 0)]

    seen = []
    final = run_job(job_id, on_file=seen.append)
    assert (final.status, final.attempts) == ("done", 2)
    assert final.result is not None
    summary = {k: final.result[k] for k in ("files", "imported", "duplicates", "failed")}
    assert summary == {"files": 10, "imported": 7, "duplicates": 3, "failed": []}
    # each file as an uninterrupted run reports it: the earlier import's are the duplicates
    expected = [(0, 1) if n in (0, 3, 7) else (1, 0) for n in range(10)]
    assert [(r.added, r.duplicates) for r in seen] == expected
    if kind == "upload":
        assert [(f["name"], f["added"], f["duplicates"]) for f in final.result["results"]] == [
            (name, *counts) for name, counts in zip(names, expected, strict=True)
        ]
    [job] = [j for j in run("jobs", "--json").json["jobs"] if j["id"] == job_id]
    assert job["result"] == final.result


def test_background_needs_postgresql_and_saves_nothing(run: Run, tmp_path: Path) -> None:
    folder = watch_folder(tmp_path / "watch", 1)
    r = run("import", str(folder), "--background")
    assert r.code == 2
    assert r.err.startswith("backstride: the job queue runs in PostgreSQL, and the database is")
    assert len(r.err.strip().splitlines()) == 1
    assert list_jobs() == []


def test_a_job_is_seen_only_by_its_owner(run: Run, tmp_path: Path) -> None:
    job_id = create_job("plan_pdf", {})
    assert job_status(job_id) is not None
    assert job_status(job_id, key="someone-else") is None
    assert list_jobs(key="someone-else") == []
    assert run("jobs", str(job_id + 1)).err.strip() == f"backstride: no job {job_id + 1}"


def test_the_plan_pdf_job_inline(run: Run, tmp_path: Path) -> None:
    failed = run_job(create_job("plan_pdf", {}))
    assert failed.status == "failed" and failed.error and failed.error.startswith("no plan yet")
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS))
    assert run("check", "--facts", str(facts), "--json").code == 0
    assert run("plan", "--days", "4").code == 0
    done = run_job(create_job("plan_pdf", {}))
    assert done.status == "done" and done.has_output and done.result
    pdf = tmp_path / "plan.pdf"
    r = run("jobs", str(done.id), "--output", str(pdf))
    assert r.code == 0, r.err
    assert pdf.read_bytes().startswith(b"%PDF") and len(pdf.read_bytes()) == done.result["bytes"]


# --- service mode: the queue and its workers --------------------------------------------------


@pytest.fixture
def deployed(service_env: str, run: Run, monkeypatch: pytest.MonkeyPatch) -> str:
    """Service mode on a database that `backstride db upgrade` brought up to date."""
    assert run("db", "upgrade").code == 0
    # fast heartbeats, so that a dead worker is noticed in seconds
    monkeypatch.setenv("BACKSTRIDE_WORKER_HEARTBEAT_SECONDS", "1")
    monkeypatch.setenv("BACKSTRIDE_WORKER_STALLED_SECONDS", "3")
    return service_env


def worker(log: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "backstride", "worker", *args],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        env=env,
    )


def wait_for(check: object, what: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        close_stores()
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def stop_workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def activity_counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT count(*), count(DISTINCT (sport, start)) FROM activity")
        ).one()
    engine.dispose()
    return int(row[0]), int(row[1])


def test_a_worker_runs_queued_imports_and_pdfs(
    deployed: str, run: Run, tmp_path: Path, stop_workers: list[subprocess.Popen[bytes]]
) -> None:
    folder = watch_folder(tmp_path / "watch", 12)
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS))
    assert run("check", "--facts", str(facts), "--json").code == 0
    assert run("plan", "--days", "3").code == 0
    r = run("import", str(folder), "--background", "--json")
    assert r.code == 0, r.err
    imported = r.json["job"]
    from backstride.service.queue import enqueue

    pdf_job = enqueue("plan_pdf", {})
    assert job_status(imported).status == "queued"  # type: ignore[union-attr]
    log = tmp_path / "worker.log"
    proc = worker(log, "--until-empty")
    stop_workers.append(proc)
    assert proc.wait(180) == 0, log.read_text()
    close_stores()
    done = job_status(imported)
    assert done is not None and done.status == "done" and done.queued
    assert done.result == {"files": 12, "imported": 12, "duplicates": 0, "failed": []}
    assert (done.done, done.total) == (12, 12)
    pdf = tmp_path / "plan.pdf"
    assert run("jobs", str(pdf_job), "--output", str(pdf)).code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert activity_counts(deployed) == (12, 12)


FILES = 300
KILL_AFTER = 40


def kill_and_run_again(
    url: str, job_id: int, log: Path, stop_workers: list[subprocess.Popen[bytes]]
) -> tuple[dict[str, Any], int]:
    """Start a worker on the queued import, SIGKILL it once the job has passed KILL_AFTER
    files, then start another that runs the job again to its end: the final result, and how
    many activities were saved when the first worker was killed."""
    first = worker(log)
    stop_workers.append(first)

    def started() -> bool:
        status = job_status(job_id)
        return status is not None and status.done >= KILL_AFTER

    wait_for(started, f"the import to pass {KILL_AFTER} files")
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    assert first.returncode == -signal.SIGKILL
    close_stores()
    at_kill = job_status(job_id)
    assert at_kill is not None and at_kill.status == "running", "ended before it was killed"
    saved, distinct = activity_counts(url)
    assert saved < FILES and saved == distinct

    second = worker(log)
    stop_workers.append(second)

    def finished() -> bool:
        status = job_status(job_id)
        return status is not None and status.status in ("done", "failed")

    wait_for(finished, "the job to be run again and finish")
    second.send_signal(signal.SIGTERM)
    assert second.wait(60) == 0, log.read_text()[-2000:]
    final = job_status(job_id)
    assert final is not None and final.status == "done", final
    assert final.attempts == 2
    assert final.result is not None and final.result["failed"] == []
    assert activity_counts(url) == (FILES, FILES)
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT duration_s, distance_m FROM activity")).all()
        queue = conn.execute(text("SELECT status::text, attempts FROM procrastinate_jobs")).all()
    engine.dispose()
    assert {tuple(r) for r in rows} == {(1800.0, 5000.0)}  # no partial activity
    assert [q[0] for q in queue] == ["succeeded"]
    assert "queued again" in log.read_text()
    return final.result, saved


def test_kill_9_a_worker_mid_import_the_job_is_retried_with_no_duplicates(
    deployed: str, run: Run, tmp_path: Path, stop_workers: list[subprocess.Popen[bytes]]
) -> None:
    folder = watch_folder(tmp_path / "watch", FILES)
    job_id = run("import", str(folder), "--background", "--json").json["job"]
    result, saved = kill_and_run_again(deployed, job_id, tmp_path / "worker.log", stop_workers)
    assert saved >= KILL_AFTER
    # the files the killed attempt saved are the job's own: imported, not duplicates
    assert (result["files"], result["imported"], result["duplicates"]) == (FILES, FILES, 0)


EARLIER = 5  # every 5th file of the folder was imported by a separate import before the job


def test_kill_9_mid_import_files_imported_before_the_job_stay_duplicates(
    deployed: str, run: Run, tmp_path: Path, stop_workers: list[subprocess.Popen[bytes]]
) -> None:
    folder = watch_folder(tmp_path / "watch", FILES)
    earlier = sorted(folder.iterdir())[::EARLIER]
    before = run("import", *map(str, earlier), "--json")  # the same paths, a separate import
    assert before.code == 0 and before.json["imported"] == len(earlier) == FILES // EARLIER
    job_id = run("import", str(folder), "--background", "--json").json["job"]
    result, saved = kill_and_run_again(deployed, job_id, tmp_path / "worker.log", stop_workers)
    # the killed attempt had saved files of its own (the folder is read in order)
    assert saved - len(earlier) >= KILL_AFTER - KILL_AFTER // EARLIER
    assert (result["files"], result["imported"], result["duplicates"]) == (
        FILES,
        FILES - len(earlier),
        len(earlier),
    )


def test_a_queued_job_whose_person_forgot_everything_is_skipped(
    deployed: str, run: Run, tmp_path: Path, stop_workers: list[subprocess.Popen[bytes]]
) -> None:
    folder = watch_folder(tmp_path / "watch", 2)
    assert run("import", str(folder), "--background").code == 0
    assert run("forget", "--yes").code == 0  # the job's row goes with the person
    log = tmp_path / "worker.log"
    proc = worker(log, "--until-empty")
    stop_workers.append(proc)
    assert proc.wait(120) == 0, log.read_text()
    assert "no longer exists: skipped" in log.read_text()
    assert activity_counts(deployed) == (0, 0)
