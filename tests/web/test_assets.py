"""The browser libraries are served from the app itself (vendored from npm with their licences),
and no page refers to anything on another host."""

from __future__ import annotations

import re

import httpx
import pytest

from backstride.web.app import STATIC
from tests.conftest import ROOT

VENDOR = STATIC / "vendor"
TEMPLATES = STATIC.parent / "templates"


def test_vendored_files_come_with_their_licences() -> None:
    for name in ("htmx.min.js", "swagger-ui-bundle.js", "swagger-ui.css"):
        assert (VENDOR / name).stat().st_size > 10_000
    assert "Zero-Clause BSD" in (VENDOR / "htmx.LICENSE").read_text()
    assert "Apache License" in (VENDOR / "swagger-ui.LICENSE").read_text()


def test_vendored_files_equal_the_npm_packages() -> None:
    modules = ROOT / "node_modules"
    if not modules.exists():
        pytest.skip("node_modules is missing (npm ci); the copies cannot be compared")
    pairs = {
        "htmx.min.js": "htmx.org/dist/htmx.min.js",
        "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
        "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    }
    for vendored, original in pairs.items():
        assert (VENDOR / vendored).read_bytes() == (modules / original).read_bytes(), vendored


def test_no_template_refers_to_another_host() -> None:
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text()
        for attr in re.findall(r'(?:src|href|action)="([^"]*)"', text):
            assert not attr.startswith(("http:", "https:", "//")), (path.name, attr)


def test_pages_carry_a_content_security_policy(http: httpx.Client) -> None:
    r = http.get("/")
    policy = r.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text  # no inline script: the policy would refuse it


def page_weight(http: httpx.Client, path: str) -> tuple[int, list[str]]:
    """Bytes of the page unpacked, with every script and stylesheet it loads, and their paths."""
    headers = {"accept-encoding": "identity"}
    page = http.get(path, headers=headers)
    assert page.status_code == 200, page.text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    total = len(page.content)
    for ref in assets:
        got = http.get(ref, headers=headers)
        assert got.status_code == 200, ref
        total += len(got.content)
    return total, assets


def test_the_question_page_weighs_under_60_kb_unpacked_scripts_included(
    http: httpx.Client,
) -> None:
    """Issue 12's bar: the question page with its CSS and scripts, unpacked, under 60 KB. It is
    plain forms and links, so it loads no htmx (only a page following a job does)."""
    state = http.post("/api/v1/interviews", json={"story": ""}).json()
    total, assets = page_weight(http, f"/interview/{state['id']}")
    assert "/static/app.css" in assets and "/static/app.js" in assets
    assert not any("htmx" in a for a in assets), assets
    assert total < 60 * 1024, total
    # the other interview pages are as light
    answers = {i["finding"]: None for i in state["question"]["items"]}
    http.post(f"/api/v1/interviews/{state['id']}/answers", json={"answers": answers})
    for path in ("/", f"/interview/{state['id']}"):
        assert page_weight(http, path)[0] < 60 * 1024, path
