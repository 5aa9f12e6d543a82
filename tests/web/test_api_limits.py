"""Every limit, with its own error: body size, upload size, files per upload and story
length. Each is checked at the real limit, over real HTTP, and nothing is saved."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx

from backstride.ingest.limits import MAX_FILE_BYTES
from backstride.web.settings import Limits
from tests.watchfiles import gpx_file
from tests.web.test_local_jobs import wait_job

LIMITS = Limits()


def test_limits_are_what_the_docs_say() -> None:
    assert LIMITS.body_bytes == 1024 * 1024
    assert LIMITS.upload_bytes == MAX_FILE_BYTES == 64 * 1024 * 1024
    assert (LIMITS.upload_files, LIMITS.story_chars) == (20, 100_000)


def test_a_story_at_the_limit_is_read_and_one_over_is_refused(http: httpx.Client) -> None:
    words = "my lower back aches after long runs. "
    story = (words * (LIMITS.story_chars // len(words) + 1))[: LIMITS.story_chars]
    ok = http.post("/api/v1/interviews", json={"story": story})
    assert ok.status_code == 201
    too_long = http.post("/api/v1/interviews", json={"story": story + "x"})
    assert too_long.status_code == 422
    assert too_long.json()["error"]["code"] == "story_too_long"
    assert "100,000" in too_long.json()["error"]["message"]


def test_a_body_over_the_limit_is_413(http: httpx.Client) -> None:
    big = b'{"story": "' + b"a" * LIMITS.body_bytes + b'"}'
    r = http.post("/api/v1/interviews", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "body_too_large"


def test_a_streamed_body_without_a_length_is_counted(http: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"story": "'
        for _ in range(LIMITS.body_bytes // 65536 + 2):
            yield b"a" * 65536
        yield b'"}'

    r = http.post(
        "/api/v1/interviews", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "body_too_large"


def test_an_upload_over_the_limit_is_413(http: httpx.Client) -> None:
    big = b"\0" * (LIMITS.upload_bytes + 128 * 1024)
    r = http.post("/api/v1/activities/upload", files=[("files", ("huge.fit", big))])
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "upload_too_large"
    assert http.get("/api/v1/activities").json()["activities"] == []


def test_too_many_files_in_one_upload(http: httpx.Client) -> None:
    t0 = datetime(2026, 9, 8, 7, 0, tzinfo=UTC)
    files = [("files", (f"{n}.gpx", gpx_file(t0, km=1))) for n in range(LIMITS.upload_files + 1)]
    r = http.post("/api/v1/activities/upload", files=files)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "too_many_files"


def test_a_zip_of_many_files_is_a_job_that_reports_each_file(http: httpx.Client) -> None:
    # No zip is imported during a request: it is a job, which reads as many files as
    # `backstride import` does, so a zip of 1,001 is read file by file (here each one broken).
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(1001):
            z.writestr(f"{n:04d}.gpx", "<gpx/>")
    r = http.post("/api/v1/activities/upload", files=[("files", ("many.zip", packed.getvalue()))])
    assert r.status_code == 202, r.text
    done = wait_job(http, r.json()["job"], lambda j: j["status"] in ("done", "failed"))
    assert (done["status"], done["done"], done["total"]) == ("done", 1001, 1001)
    results = done["result"]["results"]
    assert len(results) == 1001 and all(f["problem"] for f in results)
    assert results[0]["name"] == "many.zip:0000.gpx"
    assert http.get("/api/v1/activities").json()["activities"] == []


def test_no_bad_input_gets_a_5xx(http: httpx.Client) -> None:
    for method, path, kwargs in [
        ("POST", "/api/v1/interviews", {"content": b"\xff\xfe\x00"}),
        ("POST", "/api/v1/interviews", {"content": b"story=x"}),
        ("POST", "/api/v1/activities/upload", {"content": b"--x\r\n"}),
        ("GET", "/api/v1/interviews/%00", {}),
        ("GET", "/api/v1/interviews/" + "x" * 5000, {}),
        ("PUT", "/api/v1/interviews", {}),
        ("POST", "/api/v1/import", {"json": {"format": "backstride-export", "version": 7}}),
        ("POST", "/api/v1/import", {"json": []}),
    ]:
        r = http.request(method, path, **kwargs)  # type: ignore[arg-type]
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
        assert set(r.json()["error"]) == {"code", "message"}


def test_odd_file_names_in_an_upload_get_a_result_each(http: httpx.Client) -> None:
    names = ["..", ".", " ", "a\x00b.gpx", "con.gpx"]
    r = http.post("/api/v1/activities/upload", files=[("files", (n, b"<gpx/>")) for n in names])
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["files"]) == len(names) and body["imported"] == 0
    assert all(f["problem"] for f in body["files"]), body["files"]
