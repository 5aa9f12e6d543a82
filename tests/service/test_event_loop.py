"""No request does its work on a web worker's event loop.

One event loop serves every request of a worker: a route that reads a story (spaCy), checks a
password (argon2) or waits for the database on it makes every other request on that worker
wait. Routes are plain ``def`` (FastAPI runs them in its thread pool), or ``async def`` routes
that hand all their work to the thread pool in one trip (the interview API: one trip instead of
one per dependency); pages read their form in an async dependency first. The first test reads
the route table, so a new ``async def`` route that does not hand its work over fails it; the
others drive the pages and the interview API of service mode over real HTTP and record, at the
database and the story reader, whether each call ran on the event loop.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from backstride.store.db import Store
from backstride.web.app import create_app
from backstride.web.settings import Settings
from tests.service.conftest import Account, make_clinician
from tests.service.test_isolation import STORY
from tests.web.conftest import LiveServer

PASSWORD = "a quiet run by the river"


def on_event_loop() -> bool:
    """True when called from the thread that runs an asyncio event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def api_routes() -> Iterator[tuple[str, APIRoute]]:
    app = create_app(Settings(mode="service", preload=False))
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context.path, context.original_route


def test_no_route_works_on_the_event_loop() -> None:
    coroutines = sorted(
        f"{method} {path}"
        for path, route in api_routes()
        for method in route.methods
        if inspect.iscoroutinefunction(route.endpoint)
        and "await run_in_threadpool(" not in inspect.getsource(route.endpoint)
    )
    assert not coroutines, f"async def routes run their work on the event loop: {coroutines}"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every database session and story reading of the test server, with whether it ran on the
    event loop."""
    import backstride.reader as reader

    seen: list[tuple[str, bool]] = []

    def recorded(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            seen.append((name, on_event_loop()))
            return original(*args, **kwargs)

        return call

    monkeypatch.setattr(Store, "session", recorded("database", Store.session))
    monkeypatch.setattr(reader, "read_story", recorded("read_story", reader.read_story))
    return seen


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


def test_pages_do_their_work_off_the_event_loop(
    service_server: LiveServer, calls: list[tuple[str, bool]]
) -> None:
    with httpx.Client(base_url=service_server.url, timeout=60) as browser:
        token = csrf(browser.get("/signup"))
        form = {"csrf_token": token}
        signed = browser.post(
            "/signup", data={**form, "email": "e@example.org", "password": PASSWORD}
        )
        assert signed.status_code == 303, signed.text
        started = browser.post("/interview", data={**form, "story": STORY})
        assert started.status_code == 303, started.text
        interview = started.headers["location"].split("/")[2]
        page = browser.get(f"/interview/{interview}")
        question = re.search(r'name="question" value="([^"]+)"', page.text)
        assert question is not None
        answered = browser.post(
            f"/interview/{interview}/answer",
            data={**form, "question": question.group(1), "none": "1"},
        )
        assert answered.status_code == 303, answered.text
        assert browser.post("/account/invite", data=form).status_code == 200
        changed = browser.post(
            "/account/password",
            data={**form, "current_password": PASSWORD, "new_password": PASSWORD + " again"},
        )
        assert changed.status_code == 200, changed.text
        assert browser.post("/data/forget", data={**form, "confirm": "forget"}).status_code == 200
    make_clinician("e@example.org")
    with httpx.Client(base_url=service_server.url, timeout=60) as clinician:
        token = csrf(clinician.get("/signin"))
        signed = clinician.post(
            "/signin",
            data={"csrf_token": token, "email": "e@example.org", "password": PASSWORD + " again"},
        )
        assert signed.status_code == 303, signed.text
        accepted = clinician.post("/clinician/accept", data={"csrf_token": token, "code": "X-Y"})
        assert accepted.status_code == 404, accepted.text
    kinds = {name for name, _ in calls}
    assert kinds == {"database", "read_story"}, kinds
    on_loop = [name for name, loop in calls if loop]
    assert not on_loop, f"{len(on_loop)} of {len(calls)} calls ran on the event loop: {on_loop}"


def test_the_interview_api_does_its_work_off_the_event_loop(
    service_server: LiveServer, calls: list[tuple[str, bool]]
) -> None:
    api = Account(service_server.url, "api@example.org")
    try:
        started = api.http.post("/api/v1/interviews", json={"story": STORY})
        assert started.status_code == 201, started.text
        iid = started.json()["id"]
        question = api.http.get(f"/api/v1/interviews/{iid}").json()["question"]
        assert question is not None
        answered = api.http.post(
            f"/api/v1/interviews/{iid}/answers",
            json={"answers": {item["finding"]: None for item in question["items"]}},
        )
        assert answered.status_code == 200, answered.text
        assert api.http.post(f"/api/v1/interviews/{iid}/undo").status_code == 200
        assert api.http.get(f"/api/v1/interviews/{iid}/result").status_code == 200
    finally:
        api.close()
    kinds = {name for name, _ in calls}
    assert kinds == {"database", "read_story"}, kinds
    on_loop = [name for name, loop in calls if loop]
    assert not on_loop, f"{len(on_loop)} of {len(calls)} calls ran on the event loop: {on_loop}"
