"""Jobs in the web app, service mode, over real HTTP on real PostgreSQL with a real
`backstride worker`: a zip upload and the plan PDF become jobs (202 and a status URL), the worker
runs them, the status reaches done with per-file results (the PDF as the job's output), and
another person's job is 404 whatever route asks for it."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from tests.service.conftest import Account
from tests.service.test_isolation import STORY
from tests.service.test_jobs import T0, worker
from tests.watchfiles import fit_file
from tests.web.conftest import LiveServer


@pytest.fixture
def upload_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "uploads"
    monkeypatch.setenv("BACKSTRIDE_UPLOAD_DIR", str(folder))
    return folder


def watch_zip(files: int, bad: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(files):
            archive.writestr(f"runs/{n:03d}.fit", fit_file(T0 + timedelta(hours=9 * n), km=6.0))
        for n in range(bad):
            archive.writestr(f"runs/broken-{n}.gpx", b"<gpx><oops")
    return buffer.getvalue()


def follow_a_plan(account: Account) -> None:
    state = account.http.post("/api/v1/interviews", json={"story": STORY}).json()
    while not state["done"]:
        answers = {i["finding"]: False for i in state["question"]["items"]}
        state = account.http.post(
            f"/api/v1/interviews/{state['id']}/answers", json={"answers": answers}
        ).json()
    assert account.http.post("/api/v1/plan", json={"interview": state["id"]}).status_code == 201


def run_worker_until_empty(log: Path) -> None:
    proc = worker(log, "--until-empty")
    try:
        assert proc.wait(180) == 0, log.read_text()[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def test_an_upload_and_the_pdf_become_jobs_the_worker_runs(
    service_server: LiveServer, upload_dir: Path, tmp_path: Path
) -> None:
    a = Account(service_server.url, "a@example.org")
    b = Account(service_server.url, "b@example.org")
    follow_a_plan(a)
    # a small upload is imported during the request, as in local mode
    small = a.http.post(
        "/api/v1/activities/upload",
        files={"files": ("one.fit", fit_file(T0 - timedelta(days=3), km=4.0))},
    )
    assert small.status_code == 200, small.text
    assert small.json()["imported"] == 1

    sent = a.http.post(
        "/api/v1/activities/upload",
        files={"files": ("export.zip", watch_zip(8, bad=1), "application/zip")},
    )
    assert sent.status_code == 202, sent.text
    job = sent.json()
    assert job["kind"] == "import" and job["status"] == "queued"
    assert sent.headers["location"] == job["status_url"] == f"/api/v1/jobs/{job['job']}"
    queued = a.http.get(job["status_url"]).json()
    assert queued["status"] == "queued" and queued["queued"] is True
    assert any(upload_dir.iterdir()), "the upload waits in the shared folder"

    # a GET never queues work: it says how to ask for the PDF
    asked = a.http.get("/api/v1/plan.pdf")
    assert asked.status_code == 409, asked.text
    assert asked.json()["error"]["code"] == "pdf_not_made"
    assert "POST /api/v1/plan.pdf/jobs" in asked.json()["error"]["message"]
    assert a.http.get(f"/api/v1/jobs/{job['job'] + 1}").status_code == 404  # no job was made
    pdf = a.http.post("/api/v1/plan.pdf/jobs")
    assert pdf.status_code == 202, pdf.text
    pdf_url = pdf.json()["status_url"]
    assert pdf.headers["location"] == pdf_url
    assert a.http.get(f"{pdf_url}/output").status_code == 409  # not made yet

    # B sees none of A's jobs, by any route
    for url in (job["status_url"], pdf_url, f"{pdf_url}/output"):
        assert b.http.get(url).status_code == 404, url
    assert b.http.get(job["status_url"]).json()["error"]["code"] == "no_job"

    run_worker_until_empty(tmp_path / "worker.log")

    done = a.http.get(job["status_url"]).json()
    assert done["status"] == "done", done
    assert (done["done"], done["total"]) == (9, 9)
    result = done["result"]
    assert (result["files"], result["imported"], result["duplicates"]) == (9, 8, 0)
    assert [f["file"] for f in result["failed"]] == ["export.zip:runs/broken-0.gpx"]
    named = {f["name"]: f for f in result["results"]}
    assert len(named) == 9 and named["export.zip:runs/000.fit"]["added"] == 1
    assert named["export.zip:runs/broken-0.gpx"]["problem"]
    assert len(a.http.get("/api/v1/activities").json()["activities"]) == 9
    assert not any(upload_dir.iterdir()), "a finished upload is removed"

    made = a.http.get(pdf_url).json()
    assert made["status"] == "done" and made["output_url"] == f"{pdf_url}/output"
    got = a.http.get(made["output_url"])
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert got.content.startswith(b"%PDF") and len(got.content) == made["result"]["bytes"]
    for url in (job["status_url"], pdf_url, made["output_url"]):
        assert b.http.get(url).status_code == 404, url
    # now the GET serves the PDF the job made, until the plan followed changes
    served = a.http.get("/api/v1/plan.pdf")
    assert served.status_code == 200 and served.content == got.content
    assert b.http.get("/api/v1/plan.pdf").status_code == 404  # B follows no plan
    follow_a_plan(a)
    assert a.http.get("/api/v1/plan.pdf").status_code == 409  # made from the plan before
    a.close()
    b.close()


def test_a_job_that_never_existed_is_404_and_odd_ids_are_refused(
    service_server: LiveServer,
) -> None:
    a = Account(service_server.url, "a@example.org")
    got = a.http.get("/api/v1/jobs/1")
    assert got.status_code == 404, got.text
    assert json.loads(got.text)["error"]["code"] == "no_job"
    for job_id in ("0", "-3", str(2**40), "x"):  # not an id the database can hold
        assert a.http.get(f"/api/v1/jobs/{job_id}").status_code == 422, job_id
    assert a.http.delete(f"/api/v1/sharing/{2**62}").status_code == 422  # found by schemathesis
    a.close()
