"""In a real browser (Debian's chromium), local mode: a zip of many watch files dropped on the
progress page is imported in the background by the web process, and the page shows the job's
progress bar (labelled, in a live region) moving while htmx polls it; the tab is closed mid-way,
and a new tab finds the import finished, with each file's result and the bad one named."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.web.conftest import LiveServer
from tests.web.test_browser import PHONE, Tab, browser, check_page
from tests.web.test_local_jobs import follow_a_plan, watch_zip

__all__ = ["browser"]  # the fixture used here

FILES = 150


def progress_values(page: Any, seconds: float = 120) -> tuple[list[int], str]:
    """The progress bar's values as the page shows them, until it has moved twice or the job
    ended; and the job's status then."""
    seen: list[int] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = page.locator("div.job")
        status = str(job.get_attribute("data-status"))
        if status not in ("queued", "running"):
            return seen, status
        value = page.locator("div.job progress").get_attribute("value")
        if value is not None and (not seen or int(value) != seen[-1]):
            seen.append(int(value))
            if len(seen) >= 3:
                return seen, status
        page.wait_for_timeout(150)
    raise AssertionError(f"the progress bar never moved: {seen}")


def test_a_zip_upload_shows_live_progress_and_outlives_the_tab(
    browser: Any, server: LiveServer
) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as http:
        follow_a_plan(http)
    first = Tab(browser, server, PHONE)
    page = first.go("/progress")
    page.set_input_files(
        "#files",
        [
            {
                "name": "export.zip",
                "mimeType": "application/zip",
                "buffer": watch_zip(FILES, bad=1, every_s=1),
            }
        ],
    )
    first.wait_new_page(lambda: page.get_by_role("button", name="Upload").click())
    job = page.locator("div.job")
    assert job.get_attribute("data-status") in ("queued", "running")
    job_id = str(job.get_attribute("id")).removeprefix("job-")
    # a <progress> with its own label, inside a live region that stays while htmx swaps it
    bar = page.get_by_label("Files imported")
    assert bar.evaluate("e => e.tagName") == "PROGRESS"
    assert page.locator("[aria-live=polite] > div.job").count() == 1
    assert "Importing your files" in job.inner_text()

    values, status = progress_values(page)
    assert status == "running" and len(values) >= 3 and values == sorted(values), values
    assert values[-1] < FILES + 1
    assert f"of {FILES + 1} files" in page.locator("div.job").inner_text()
    check_page(first)
    first.close()  # the browser goes away mid-import

    second = Tab(browser, server, PHONE)
    try:
        page = second.go(f"/jobs/{job_id}")
        page.wait_for_selector("div.job[data-status=done]", timeout=180_000)
        results = page.locator("div.job ul.files li")
        assert results.count() == FILES + 1
        assert page.locator("div.job ul.files li.done").count() == FILES
        failed = page.locator("div.job ul.files li.failed").inner_text()
        assert "export.zip:runs/broken-0.gpx: failed" in failed
        assert f"Imported {FILES} activities" in page.locator("div.job").inner_text()
        check_page(second)
    finally:
        second.close()
    with httpx.Client(base_url=server.url, timeout=120) as http:
        assert len(http.get("/api/v1/activities").json()["activities"]) == FILES
