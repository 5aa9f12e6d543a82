"""In a real browser (Debian's chromium), service mode, with the pages' Content-Security-Policy
in force: a zip dropped on the progress page becomes a job, the page shows a progress bar that
htmx polls while a real `backstride worker` runs it, then each file's result; the plan's PDF
button shows "being prepared" until the worker made it, then the download."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.conftest import Account
from tests.service.test_jobs import worker
from tests.service.test_web_jobs import follow_a_plan, upload_dir, watch_zip
from tests.web.conftest import LiveServer
from tests.web.test_browser import PHONE, browser

__all__ = ["browser", "upload_dir"]  # fixtures used here


@pytest.fixture
def signed_in(browser: Any, service_server: LiveServer) -> Iterator[tuple[Any, list[str], str]]:
    """A phone-sized tab signed in as a person who follows a plan (CSP not bypassed), and the
    problems it met (page errors, console errors such as a CSP refusal, third-party requests)."""
    account = Account(service_server.url, "runner@example.org")
    follow_a_plan(account)
    account.close()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on(
        "request",
        lambda r: None if r.url.startswith(service_server.url) else problems.append(r.url),
    )
    page.goto(f"{service_server.url}/signin")
    page.get_by_label("Email").fill("runner@example.org")
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    yield page, problems, service_server.url
    context.close()


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def test_a_zip_upload_shows_the_jobs_progress_then_each_file(
    signed_in: tuple[Any, list[str], str],
    upload_dir: Path,
    tmp_path: Path,
    workers: list[subprocess.Popen[bytes]],
) -> None:
    page, problems, base = signed_in
    page.goto(f"{base}/progress")
    page.set_input_files(
        "#files",
        [{"name": "export.zip", "mimeType": "application/zip", "buffer": watch_zip(6, bad=1)}],
    )
    page.get_by_role("button", name="Upload").click()
    job = page.locator("div.job")
    job.wait_for(timeout=60_000)
    assert job.get_attribute("data-status") in ("queued", "running")
    assert page.locator("div.job progress").count() == 1
    assert "Importing your files" in job.inner_text()
    # the page keeps asking while no worker runs: still queued a few polls later
    page.wait_for_timeout(2500)
    assert page.locator("div.job").get_attribute("data-status") == "queued"

    workers.append(worker(tmp_path / "worker.log"))
    page.wait_for_selector("div.job[data-status=done]", timeout=120_000)
    results = page.locator("div.job ul.files li")
    assert results.count() == 7
    assert page.locator("div.job ul.files li.done").count() == 6
    assert "export.zip:runs/broken-0.gpx: failed" in page.locator("li.failed").inner_text()
    assert "Imported 6 activities" in page.locator("div.job").inner_text()

    page.goto(f"{base}/plan")
    page.get_by_role("button", name="PDF").click()
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector("div.job[data-status=done]", timeout=120_000)
    link = page.get_by_role("link", name="Download the PDF")
    href = str(link.get_attribute("href"))
    assert href.startswith("/api/v1/jobs/") and href.endswith("/output")
    got = page.request.get(base + href)
    assert got.status == 200 and got.body().startswith(b"%PDF")
    assert problems == []
