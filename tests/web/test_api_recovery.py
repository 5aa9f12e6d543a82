"""Following the recovery through the API over real HTTP: the plan followed, today, check-ins
that move the weekly decision, watch-file upload with per-file results, progress and its
chart, the profile, and export/import/forget. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.screening import SCREENED
from tests.track.test_recoveries import PIRIFORMIS
from tests.watchfiles import fit_file, gpx_file
from tests.web.test_local_jobs import wait_job

START = date(2026, 9, 7)  # a Monday


def on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """The server's clock (it runs in this process)."""
    monkeypatch.setenv("BACKSTRIDE_NOW", f"{day.isoformat()}T20:00:00Z")


def finished_interview(http: httpx.Client, facts: dict[str, bool]) -> str:
    state = http.post("/api/v1/interviews", json={"story": ""}).json()
    while not state["done"]:
        answers = {i["finding"]: facts.get(i["finding"]) for i in state["question"]["items"]}
        state = http.post(
            f"/api/v1/interviews/{state['id']}/answers", json={"answers": answers}
        ).json()
    return str(state["id"])


def follow(http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    on(monkeypatch, START)
    iid = finished_interview(http, {**SCREENED, **PIRIFORMIS})
    r = http.post(
        "/api/v1/plan", json={"interview": iid, "days_per_week": 3, "equipment": ["band"]}
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_follow_a_plan_then_today_and_its_exports(
    http: httpx.Client, api_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert http.get("/api/v1/plan").status_code == 404
    assert http.get("/api/v1/today").json()["error"]["code"] == "no_plan"
    assert http.post("/api/v1/plan.pdf/jobs").status_code == 404  # no plan: no job
    followed = follow(http, monkeypatch)
    assert followed["status"]["phase"] == "calm"
    assert followed["plan"]["days_per_week"] == 3
    assert http.get("/api/v1/plan").json() == followed
    today = http.get("/api/v1/today").json()
    assert today["phase"] == "calm" and today["run"] is None
    pdf = http.get("/api/v1/plan.pdf").content
    assert pdf.startswith(b"%PDF")
    # local mode: the PDF job runs during the request, by the same function a worker runs
    made = http.post("/api/v1/plan.pdf/jobs")
    assert made.status_code == 201, made.text
    job = made.json()
    assert job["kind"] == "plan_pdf" and job["status"] == "done"
    assert made.headers["location"] == job["status_url"]
    status = http.get(job["status_url"]).json()
    assert status["status"] == "done" and status["queued"] is False
    output = http.get(status["output_url"])
    assert output.content.startswith(b"%PDF") and len(output.content) == status["result"]["bytes"]
    assert http.get("/api/v1/profile").json()["equipment"] == ["band", "mat"]


def test_an_unfinished_interview_cannot_be_followed(http: httpx.Client) -> None:
    iid = http.post("/api/v1/interviews", json={"story": ""}).json()["id"]
    r = http.post("/api/v1/plan", json={"interview": iid})
    assert r.status_code == 409 and r.json()["error"]["code"] == "interview_not_done"


def test_checkins_move_the_weekly_decision(
    http: httpx.Client, api_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow(http, monkeypatch)
    week = [START + timedelta(days=d) for d in range(7)]
    for n, day in enumerate(week):
        on(monkeypatch, day)
        body: dict[str, Any] = {"pain_now": 2, "pain_activity": 2, "pain_morning": 1}
        if n == 0:
            body["psfs"] = {"running": 3}
        if n == 6:
            body["met"] = ["walk_20", "chair_rise"]
        r = http.post("/api/v1/checkins", json=body)
        assert r.status_code == 201, r.text
        assert r.json()["retriage"] is None
    so_far = http.get("/api/v1/progress").json()["so_far"]
    assert so_far["decision"] == "progress"
    on(monkeypatch, START + timedelta(days=7))
    report = http.get("/api/v1/progress").json()
    assert report["phase"] == "restore" and report["decision"] == "progress"
    assert [m["decision"] for m in report["phase_history"]] == ["start", "progress"]
    assert len(http.get("/api/v1/checkins").json()["checkins"]) == 7


def test_a_checkin_that_breaks_the_pain_rule_holds_the_plan(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow(http, monkeypatch)
    for n in range(7):
        on(monkeypatch, START + timedelta(days=n))
        body: dict[str, Any] = {"pain_now": 2, "pain_activity": 2, "pain_morning": 1}
        if n == 6:
            body["met"] = ["walk_20", "chair_rise"]
        http.post("/api/v1/checkins", json=body)
    assert http.get("/api/v1/progress").json()["so_far"]["decision"] == "progress"
    http.post("/api/v1/checkins", json={"pain_activity": 6, "pain_morning": 5})
    assert http.get("/api/v1/progress").json()["so_far"]["decision"] != "progress"


def test_a_new_warning_sign_runs_the_triage_again(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow(http, monkeypatch)
    r = http.post("/api/v1/checkins", json={"pain_now": 4, "signs": {"saddle_numbness": True}})
    assert r.status_code == 201
    assert r.json()["retriage"]["level"] == "emergency"
    assert r.json()["retriage"]["suspended"] is True
    assert http.get("/api/v1/today").json()["suspended"] is True


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"pain_now": 11}, "pain_now"),
        ({"pain_now": -1}, "pain_now"),
        ({"date": "2999-01-01", "pain_now": 1}, "future"),
        ({}, "nothing to log"),
        ({"signs": {"no_such_sign": True}}, "no_such_sign"),
        ({"met": ["run_a_marathon"]}, "run_a_marathon"),
        ({"psfs": {"a": 1, "b": 1, "c": 1, "d": 1}}, "at most 3"),
        ({"pain_now": 1, "extra": 1}, "extra"),
    ],
)
def test_bad_checkins_are_refused_and_nothing_is_saved(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch, body: dict[str, Any], named: str
) -> None:
    follow(http, monkeypatch)
    r = http.post("/api/v1/checkins", json=body)
    assert r.status_code == 422, r.text
    assert named in r.json()["error"]["message"]
    assert http.get("/api/v1/checkins").json()["checkins"] == []


def test_upload_fit_gpx_and_a_bad_file_reports_each_file(
    http: httpx.Client, api_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow(http, monkeypatch)
    on(monkeypatch, START + timedelta(days=3))
    t0 = datetime(2026, 9, 8, 7, 0, tzinfo=UTC)
    files = [
        ("files", ("monday.fit", fit_file(t0, km=5), "application/octet-stream")),
        ("files", ("tuesday.gpx", gpx_file(t0 + timedelta(days=1), km=4), "application/gpx+xml")),
        ("files", ("broken.fit", b"not a fit file at all", "application/octet-stream")),
    ]
    r = http.post("/api/v1/activities/upload", files=files)
    assert r.status_code == 200, r.text
    body = r.json()
    by_name = {f["name"]: f for f in body["files"]}
    assert by_name["monday.fit"]["added"] == 1 and by_name["monday.fit"]["problem"] is None
    assert by_name["tuesday.gpx"]["added"] == 1
    assert by_name["broken.fit"]["added"] == 0 and by_name["broken.fit"]["problem"]
    assert (body["imported"], body["failed"]) == (2, 1)
    # the import ran as a job, by the function `backstride worker` runs (one way to import)
    from backstride.recovery.jobs import list_jobs

    (job,) = list_jobs()
    assert (job.kind, job.status, job.queued) == ("import", "done", False)
    assert job.result is not None and job.result["imported"] == 2
    assert [r["name"] for r in job.result["results"]] == [f["name"] for f in body["files"]]
    # the same files again are duplicates, not new activities
    again = http.post("/api/v1/activities/upload", files=files[:1]).json()
    assert again["duplicates"] == 1 and again["imported"] == 0
    # a zip of files, with a path that tries to climb out
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as z:
        z.writestr("run.fit", fit_file(t0 + timedelta(days=2), km=3))
        z.writestr("../evil.gpx", gpx_file(t0, km=1))
    sent = http.post(
        "/api/v1/activities/upload", files=[("files", ("export.zip", packed.getvalue()))]
    )
    # a zip is a job in local mode too (this process's import thread runs it): follow it
    assert sent.status_code == 202, sent.text
    zipped = wait_job(http, sent.json()["job"], lambda j: j["status"] == "done")
    names = {f["name"]: f for f in zipped["result"]["results"]}
    assert names["export.zip:run.fit"]["added"] == 1
    assert "unsafe path" in names["export.zip:../evil.gpx"]["problem"]
    report = http.get("/api/v1/progress").json()
    assert report["load"]["weeks"][0]["count"] == 3
    chart = http.get("/api/v1/progress/chart.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    assert len(http.get("/api/v1/activities").json()["activities"]) == 3


def test_profile(http: httpx.Client, api_db: str) -> None:
    r = http.patch("/api/v1/profile", json={"days_per_week": 4, "psfs_activities": ["running"]})
    assert r.status_code == 200
    assert r.json()["days_per_week"] == 4 and r.json()["psfs_activities"] == ["running"]
    bad = http.patch("/api/v1/profile", json={"age_band": "ancient"})
    assert bad.status_code == 422 and "age_band 'ancient'" in bad.json()["error"]["message"]
    assert http.patch("/api/v1/profile", json={"days_per_week": 9}).status_code == 422
    assert http.get("/api/v1/profile").json()["days_per_week"] == 4


def test_export_import_and_forget(
    http: httpx.Client, api_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow(http, monkeypatch)
    http.post("/api/v1/checkins", json={"pain_now": 3})
    export = http.get("/api/v1/export")
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    doc = export.json()
    assert len(doc["interviews"]) == 1 and len(doc["interviews"][0]["steps"]) > 3
    assert len(doc["checkins"]) == 1
    refused = http.post("/api/v1/import", json=doc)
    assert refused.status_code == 422 and "already holds records" in refused.text
    not_yet = http.post("/api/v1/forget", json={"confirm": "yes"})
    assert not_yet.status_code == 422 and not_yet.json()["error"]["code"] == "not_confirmed"
    gone = http.post("/api/v1/forget", json={"confirm": "forget"}).json()["deleted"]
    assert gone["interview"] == 1 and gone["interview_step"] > 3 and gone["checkin"] == 1
    assert http.get("/api/v1/plan").status_code == 404
    back = http.post("/api/v1/import", json=doc)
    assert back.status_code == 200, back.text
    assert back.json()["imported"]["interviews"] == 1
    again = http.get("/api/v1/export").json()
    strip = lambda d: {k: v for k, v in d.items() if k != "exported_at"}  # noqa: E731
    assert strip(again) == strip(doc)
