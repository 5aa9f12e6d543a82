"""Local mode's background imports: the upload page and the API hand a zip (or many files) to
the web process's import thread (the job function a `backstride worker` runs), answer at once
(the API with 202 and the job's status URL, as in service mode), and the job lives on without
the request; a server killed with SIGKILL mid-import (from the page or the API) finishes it
when it starts again, with every file saved once and reported once: as imported, but for the
runs a separate upload had saved before, which are duplicates. The claim that marks an import
as under way is exclusive and dies with its process, and `backstride import` leaves a claimed
import alone."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from backstride.recovery.jobs import (
    claim_upload,
    create_inline_job,
    job_status,
    save_upload,
    start_upload_job,
)
from backstride.store.jobs import INTERRUPTED
from tests.service.test_jobs import T0
from tests.service.test_web_faults import serve, stop
from tests.watchfiles import fit_file
from tests.web.conftest import LiveServer


def zipped_run(n: int, every_s: int) -> bytes:
    """The n-th run of ``watch_zip``."""
    return fit_file(T0 + timedelta(hours=9 * n), minutes=60, km=10.0, every_s=every_s)


def watch_zip(files: int, *, bad: int = 0, every_s: int = 10) -> bytes:
    """A zip of FIT runs (``every_s``: seconds between records; 1 makes files that take a
    real import tens of ms each, as a watch's do) and ``bad`` broken GPX files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(files):
            archive.writestr(f"runs/{n:04d}.fit", zipped_run(n, every_s))
        for n in range(bad):
            archive.writestr(f"runs/broken-{n}.gpx", b"<gpx><oops")
    return buffer.getvalue()


def follow_a_plan(http: httpx.Client) -> None:
    """An interview with no story, every warning sign denied, and its plan followed."""
    state = http.post("/api/v1/interviews", json={"story": ""}).json()
    while not state["done"]:
        answers = {i["finding"]: False for i in state["question"]["items"]}
        state = http.post(
            f"/api/v1/interviews/{state['id']}/answers", json={"answers": answers}
        ).json()
    assert http.post("/api/v1/plan", json={"interview": state["id"]}).status_code == 201


def upload_page(http: httpx.Client, data: bytes) -> tuple[httpx.Response, int]:
    """The progress page's upload form, posted with one zip: the answer and its job's id."""
    sent = http.post("/progress/upload", files={"files": ("export.zip", data, "application/zip")})
    found = re.search(r'<div class="job" id="job-(\d+)"', sent.text)
    assert found, sent.text[-2000:]
    return sent, int(found.group(1))


def wait_job(http: httpx.Client, job_id: int, until: Any, seconds: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = http.get(f"/api/v1/jobs/{job_id}")
        if got.status_code == 200 and until(got.json()):
            return dict(got.json())
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} never got there: {http.get(f'/api/v1/jobs/{job_id}').text}")


def local_home(tmp_path: Path) -> tuple[Path, str, Path]:
    """A fresh local-mode home for a real `backstride serve`: its folder, database URL and log."""
    home = tmp_path / "home"
    home.mkdir()
    return home, f"sqlite:///{home / 'backstride.db'}", tmp_path / "serve.log"


def test_the_upload_page_answers_at_once_and_the_job_runs_on(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as http:
        follow_a_plan(http)
        started = time.monotonic()
        sent, job_id = upload_page(http, watch_zip(40, bad=1, every_s=1))
        answered = time.monotonic() - started
        assert sent.status_code == 200
        # the page follows the job: a labelled progress bar in a live region, polled by htmx
        assert 'aria-live="polite"' in sent.text and "htmx.min.js" in sent.text
        assert f'<label for="job-{job_id}-bar">Files imported</label>' in sent.text
        assert f'<progress id="job-{job_id}-bar"' in sent.text
        # the request (and so the browser's connection) is not needed for the import to go on
        done = wait_job(http, job_id, lambda j: j["status"] == "done")
    assert answered < 5
    assert done["queued"] is False and done["attempts"] == 1
    assert (done["done"], done["total"]) == (41, 41)
    assert done["result"]["imported"] == 40 and len(done["result"]["failed"]) == 1
    names = [f["name"] for f in done["result"]["results"]]
    assert "export.zip:runs/broken-0.gpx" in names and len(names) == 41


def test_the_api_makes_a_job_of_a_zip_or_many_files_as_in_service_mode(
    server: LiveServer,
) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as http:
        follow_a_plan(http)
        # a zip through the JSON API: 202 and the job, which this process's import thread runs
        sent = http.post(
            "/api/v1/activities/upload",
            files={"files": ("export.zip", watch_zip(12, bad=1, every_s=1), "application/zip")},
        )
        assert sent.status_code == 202, sent.text
        job = sent.json()
        assert (job["kind"], job["status"]) == ("import", "queued")
        assert sent.headers["location"] == job["status_url"] == f"/api/v1/jobs/{job['job']}"
        zipped = wait_job(http, job["job"], lambda j: j["status"] in ("done", "failed"))
        # more files than BACKSTRIDE_UPLOAD_JOB_FILES (5): a job too; 5 are imported at once
        runs = [fit_file(T0 - timedelta(days=n + 1)) for n in range(11)]
        many = http.post(
            "/api/v1/activities/upload",
            files=[("files", (f"run-{n}.fit", data)) for n, data in enumerate(runs[:6])],
        )
        assert many.status_code == 202, many.text
        six = wait_job(http, many.json()["job"], lambda j: j["status"] in ("done", "failed"))
        five = http.post(
            "/api/v1/activities/upload",
            files=[("files", (f"run-{n}.fit", data)) for n, data in enumerate(runs[6:])],
        )
        one = fit_file(T0 - timedelta(days=30))
        page = http.post("/progress/upload", files={"files": ("one.fit", one)})
        activities = http.get("/api/v1/activities").json()["activities"]
    assert (zipped["status"], zipped["done"], zipped["total"]) == ("done", 13, 13)
    assert zipped["queued"] is False and zipped["attempts"] == 1  # run here, not by a worker
    assert zipped["result"]["imported"] == 12 and len(zipped["result"]["failed"]) == 1
    names = [f["name"] for f in zipped["result"]["results"]]
    assert "export.zip:runs/broken-0.gpx" in names and len(names) == 13
    assert (six["status"], six["result"]["imported"]) == ("done", 6)
    assert sorted(f["name"] for f in six["result"]["results"]) == [f"run-{n}.fit" for n in range(6)]
    assert five.status_code == 200 and five.json()["imported"] == 5  # answered with the results
    assert page.status_code == 200
    assert 'class="job"' not in page.text and "one.fit: 1 added" in page.text
    assert len(activities) == 12 + 6 + 5 + 1


def test_a_claim_is_exclusive_and_dies_with_its_process(tmp_path: Path) -> None:
    folder = tmp_path / "upload"
    folder.mkdir()
    first = claim_upload(folder)
    assert first is not None
    assert claim_upload(folder) is None  # held (another open file, the same process)
    first.release()
    again = claim_upload(folder)
    assert again is not None
    again.release()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from backstride.recovery.jobs import claim_upload\n"
            f"c = claim_upload({str(folder)!r}); print(c is not None, flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"True"
        assert claim_upload(folder) is None  # held by a live process
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
        freed = claim_upload(folder)  # the kernel let go of the dead process's lock
        assert freed is not None
        freed.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(30)
    assert claim_upload(tmp_path / "gone") is None


def test_the_command_line_leaves_a_claimed_import_alone() -> None:
    args = save_upload([("one.fit", fit_file(T0))])
    job_id, claim = start_upload_job(args)
    try:
        create_inline_job("import", {"paths": []})  # `backstride import` starting its own job
        running = job_status(job_id)
        assert running is not None and running.status == "queued"
    finally:
        claim.release()
    create_inline_job("import", {"paths": []})  # nobody holds it now: it was interrupted
    stopped = job_status(job_id)
    assert stopped is not None and (stopped.status, stopped.error) == ("failed", INTERRUPTED)


def upload_api(http: httpx.Client, data: bytes) -> int:
    """`POST /api/v1/activities/upload` with one zip: 202 and its job's id."""
    sent = http.post(
        "/api/v1/activities/upload", files={"files": ("export.zip", data, "application/zip")}
    )
    assert sent.status_code == 202, sent.text
    return int(sent.json()["job"])


EARLIER = (0, 7, 120)  # runs of the zip imported before it, on either side of the kill


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_server_killed_mid_import_finishes_it_when_started_again(
    tmp_path: Path, via: str
) -> None:
    home, url, log = local_home(tmp_path)
    proc, base = serve(url, home, log, workers=1)
    try:
        with httpx.Client(base_url=base, timeout=120) as http:
            follow_a_plan(http)
            # three of the runs were sent before, in a separate (small) upload
            before = http.post(
                "/api/v1/activities/upload",
                files=[("files", (f"{n}.fit", zipped_run(n, 1))) for n in EARLIER],
            )
            assert before.status_code == 200 and before.json()["imported"] == len(EARLIER)
            data = watch_zip(150, bad=1, every_s=1)
            job_id = upload_page(http, data)[1] if via == "page" else upload_api(http, data)
            part = wait_job(http, job_id, lambda j: j["done"] >= 20, seconds=120)
            proc.send_signal(signal.SIGKILL)  # mid-import, no chance to clean up
            proc.wait(30)
        assert part["status"] == "running" and part["done"] < 151
        # the file under way is named as uploaded, not by the server's folder
        assert part["note"].startswith("export.zip:runs/"), part["note"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    folders = [p for p in (home / "uploads").iterdir() if p.is_dir()]
    assert len(folders) == 1  # the upload waits for its import

    proc, base = serve(url, home, log, workers=1)
    try:
        with httpx.Client(base_url=base, timeout=120) as http:
            done = wait_job(http, job_id, lambda j: j["status"] in ("done", "failed"))
            activities = http.get("/api/v1/activities").json()["activities"]
    finally:
        stop(proc)
    assert done["status"] == "done", done
    assert done["attempts"] == 2  # run again by the new server, not by a request
    assert (done["done"], done["total"]) == (151, 151)
    # the job reports each file once, as the person sent it: the files saved before the kill
    # are this upload's own, not duplicates of it; the runs sent before it are duplicates
    result = done["result"]
    assert (result["files"], result["imported"], result["duplicates"]) == (151, 147, 3)
    files = {f["name"]: f for f in result["results"]}
    runs = [f"export.zip:runs/{n:04d}.fit" for n in range(150)]
    assert sorted(files) == sorted([*runs, "export.zip:runs/broken-0.gpx"])
    assert len(result["results"]) == 151
    assert all(
        (files[run]["added"], files[run]["duplicates"], files[run]["problem"])
        == ((0, 1, None) if n in EARLIER else (1, 0, None))
        for n, run in enumerate(runs)
    )
    assert result["failed"] == [
        {
            "file": "export.zip:runs/broken-0.gpx",
            "reason": files["export.zip:runs/broken-0.gpx"]["problem"],
        }
    ]
    # every file saved exactly once: none lost, none twice
    assert len(activities) == 150 and len({a["start"] for a in activities}) == 150
    assert not any(p.is_dir() for p in (home / "uploads").iterdir())  # removed once done
    assert "running it again" in log.read_text()
    assert os.path.exists(home / "backstride.db")


def test_ctrl_c_waits_for_the_import_under_way(tmp_path: Path) -> None:
    home, url, log = local_home(tmp_path)
    proc, base = serve(url, home, log, workers=1)
    try:
        with httpx.Client(base_url=base, timeout=120) as http:
            follow_a_plan(http)
            _, job_id = upload_page(http, watch_zip(80, bad=1, every_s=1))
            wait_job(http, job_id, lambda j: j["done"] >= 5, seconds=120)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(240) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    said = log.read_text()
    assert "waiting for it to finish" in said and "Traceback" not in said
    proc, base = serve(url, home, log, workers=1)
    try:
        with httpx.Client(base_url=base, timeout=120) as http:
            job = http.get(f"/api/v1/jobs/{job_id}").json()
    finally:
        stop(proc)
    assert (job["status"], job["done"], job["attempts"]) == ("done", 81, 1)  # finished first
