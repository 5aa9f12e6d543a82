"""Isolation, generated from the app's route table (the test that matters most).

Every route whose handler depends on the signed-in person (``current_person`` or
``authenticate``) must appear in ROUTES, which says how person B, or a clinician, exercises it
against A's objects. A route missing from ROUTES fails the test, so a new route is covered or
the suite is red. Over real HTTP, on real PostgreSQL:

- each such route answers 401 (API) or sends to the sign-in page without credentials;
- B gets 404 for every one of A's objects, and B's answers never contain anything of A's;
- after B has called every route (forget and delete included), A's records are all there;
- a clinician sees only the people who shared with them, and nothing after a revocation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from backstride.web.app import create_app
from backstride.web.auth import authenticate
from backstride.web.deps import current_person
from backstride.web.settings import Settings
from tests.service.conftest import Account, make_clinician
from tests.web.conftest import LiveServer

STORY = "sore low back after a long run, no numbness, no leg pain"
SECRET_NOTE = "zebra-private-note-of-a"


@dataclass
class World:
    """A's objects, and the accounts that try to reach them."""

    a: Account
    b: Account
    clinician: Account  # A shares with this one
    stranger: Account  # a clinician A never shared with
    interview: str
    job: int  # A's plan PDF job
    markers: tuple[str, ...]


Call = Callable[[World], tuple[str, dict[str, Any]]]  # who calls (b|stranger), request kwargs
PDF = {"files": {"file": ("x.json", b"{}", "application/json")}}
UPLOAD = {"files": {"files": ("x.gpx", b"<gpx/>", "application/gpx+xml")}}


def b(kwargs: dict[str, Any] | None = None) -> Call:
    return lambda w: ("b", kwargs or {})


def b_json(body: dict[str, Any]) -> Call:
    return lambda w: ("b", {"json": body})


def b_form(body: dict[str, Any]) -> Call:
    return lambda w: ("b", {"data": body})


def stranger(kwargs: dict[str, Any] | None = None) -> Call:
    return lambda w: ("stranger", kwargs or {})


# (method, path) -> (how the intruder calls it, whether A's object is addressed: then 404)
ROUTES: dict[tuple[str, str], tuple[Call, bool]] = {
    ("POST", "/api/v1/interviews"): (b_json({"story": ""}), False),
    ("GET", "/api/v1/interviews/{interview_id}"): (b(), True),
    ("POST", "/api/v1/interviews/{interview_id}/answers"): (b_json({"answers": {}}), True),
    ("POST", "/api/v1/interviews/{interview_id}/undo"): (b(), True),
    ("POST", "/api/v1/interviews/{interview_id}/understood"): (b_json({"remove": []}), True),
    ("GET", "/api/v1/interviews/{interview_id}/result"): (b(), True),
    ("GET", "/api/v1/interviews/{interview_id}/plan"): (b(), True),
    ("GET", "/api/v1/interviews/{interview_id}/plan.pdf"): (b(), True),
    ("GET", "/api/v1/interviews/{interview_id}/plan.ics"): (b(), True),
    ("GET", "/api/v1/interviews/{interview_id}/plan.md"): (b(), True),
    ("GET", "/api/v1/interviews/{interview_id}/plan.html"): (b(), True),
    ("GET", "/api/v1/profile"): (b(), False),
    ("PATCH", "/api/v1/profile"): (b_json({"days_per_week": 6}), False),
    ("POST", "/api/v1/plan"): (lambda w: ("b", {"json": {"interview": w.interview}}), True),
    ("GET", "/api/v1/plan"): (b(), False),
    ("GET", "/api/v1/plan.pdf"): (b(), False),
    ("POST", "/api/v1/plan.pdf/jobs"): (b(), False),
    ("GET", "/api/v1/plan.ics"): (b(), False),
    ("GET", "/api/v1/plan.md"): (b(), False),
    ("GET", "/api/v1/plan.html"): (b(), False),
    ("GET", "/api/v1/today"): (b(), False),
    ("POST", "/api/v1/checkins"): (b_json({"pain_now": 9}), False),
    ("GET", "/api/v1/checkins"): (b(), False),
    ("POST", "/api/v1/activities"): (b_json({"date": "2026-01-05", "duration_min": 5}), False),
    ("GET", "/api/v1/activities"): (b(), False),
    ("POST", "/api/v1/activities/upload"): (b(UPLOAD), False),
    ("GET", "/api/v1/progress"): (b(), False),
    ("GET", "/api/v1/jobs/{job_id}"): (b(), True),
    ("GET", "/api/v1/jobs/{job_id}/output"): (b(), True),
    ("GET", "/api/v1/progress/chart.svg"): (b(), False),
    ("GET", "/api/v1/export"): (b(), False),
    ("POST", "/api/v1/import"): (b_json({"format": "nothing"}), False),
    ("POST", "/api/v1/forget"): (b_json({"confirm": "forget"}), False),
    ("POST", "/api/v1/auth/signout"): (b(), False),  # ends B's own token only
    ("GET", "/api/v1/account"): (b(), False),
    ("POST", "/api/v1/auth/password"): (
        b_json({"current_password": "wrong", "new_password": "x" * 12}),
        False,
    ),
    ("POST", "/api/v1/account/delete"): (b_json({"password": "wrong"}), False),
    ("POST", "/api/v1/sharing/invites"): (b(), False),
    ("GET", "/api/v1/sharing"): (b(), False),
    ("DELETE", "/api/v1/sharing/{clinician_id}"): (b(), True),
    ("GET", "/api/v1/audit"): (b(), False),
    ("POST", "/api/v1/clinician/invites"): (stranger({"json": {"code": "AAAAA-BBBBB"}}), True),
    ("GET", "/api/v1/clinician/people"): (stranger(), False),
    ("GET", "/api/v1/clinician/people/{person}"): (stranger(), True),
    ("POST", "/api/v1/clinician/people/{person}/notes"): (stranger({"json": {"text": "x"}}), True),
    ("POST", "/api/v1/clinician/people/{person}/phase"): (
        stranger({"json": {"phase": "calm", "reason": "x"}}),
        True,
    ),
    ("GET", "/api/v1/clinician/people/{person}/fhir"): (stranger(), True),
    ("POST", "/interview"): (b_form({"story": ""}), False),
    ("GET", "/interview/{interview_id}/understood"): (b(), True),
    ("POST", "/interview/{interview_id}/understood"): (
        b_form({"finding": "pain_buttock", "action": "remove"}),
        True,
    ),
    ("GET", "/interview/{interview_id}"): (b(), True),
    ("POST", "/interview/{interview_id}/answer"): (b_form({}), True),
    ("POST", "/interview/{interview_id}/undo"): (b_form({}), True),
    ("GET", "/interview/{interview_id}/result"): (b(), True),
    ("POST", "/interview/{interview_id}/follow"): (b_form({}), True),
    ("GET", "/plan"): (b(), False),
    ("GET", "/plan/print"): (b(), False),
    ("POST", "/plan/pdf"): (b_form({}), False),
    ("GET", "/jobs/{job_id}"): (b(), True),
    ("GET", "/today"): (b(), False),
    ("POST", "/today/checkin"): (b_form({"pain_now": "8"}), False),
    ("GET", "/progress"): (b(), False),
    ("POST", "/progress/upload"): (b(UPLOAD), False),
    ("POST", "/data/import"): (b(PDF), False),
    ("POST", "/data/forget"): (b_form({"confirm": "forget"}), False),
    ("GET", "/account"): (b(), False),
    ("POST", "/account/password"): (b_form({"current_password": "wrong"}), False),
    ("POST", "/account/invite"): (b(), False),
    ("POST", "/account/revoke"): (lambda w: ("b", {"data": {"clinician": "1"}}), True),
    ("POST", "/account/delete"): (b_form({"password": "wrong"}), False),
    ("GET", "/clinician"): (stranger(), False),
    ("POST", "/clinician/accept"): (stranger({"data": {"code": "AAAAA-BBBBB"}}), True),
    ("GET", "/clinician/people/{person}"): (stranger(), True),
    ("POST", "/clinician/people/{person}/notes"): (stranger({"data": {"text": "x"}}), True),
    ("POST", "/clinician/people/{person}/phase"): (
        stranger({"data": {"phase": "calm", "reason": "x"}}),
        True,
    ),
}


def person_routes() -> Iterator[tuple[str, str]]:
    """(method, path) of every route whose handler depends on who is signed in."""

    def calls(dependant: Any) -> Iterator[Any]:
        yield dependant.call
        for sub in dependant.dependencies:
            yield from calls(sub)

    app = create_app(Settings(mode="service", preload=False))
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        found = set(calls(route.dependant))
        if current_person in found or authenticate in found:
            for method in sorted(route.methods):
                yield method, context.path


@pytest.fixture
def world(service_server: LiveServer) -> Iterator[World]:
    a = Account(service_server.url, "a@example.org")
    b_ = Account(service_server.url, "b@example.org")
    clinician = Account(service_server.url, "c@example.org")
    stranger_ = Account(service_server.url, "s@example.org")
    make_clinician("c@example.org")
    make_clinician("s@example.org")
    state = a.http.post("/api/v1/interviews", json={"story": STORY}).json()
    interview = state["id"]
    while not state["done"]:
        answers = {i["finding"]: False for i in state["question"]["items"]}
        got = a.http.post(f"/api/v1/interviews/{interview}/answers", json={"answers": answers})
        assert got.status_code == 200, got.text
        state = got.json()
    followed = a.http.post("/api/v1/plan", json={"interview": interview})
    assert followed.status_code == 201, followed.text
    assert (
        a.http.post("/api/v1/checkins", json={"pain_now": 3, "notes": SECRET_NOTE}).status_code
        == 201
    )
    assert (
        a.http.post(
            "/api/v1/activities", json={"date": "2026-01-07", "duration_min": 31.5, "sport": "swim"}
        ).status_code
        == 201
    )
    pdf = a.http.post("/api/v1/plan.pdf/jobs")  # service mode: a job for the worker
    assert pdf.status_code == 202, pdf.text
    code = a.http.post("/api/v1/sharing/invites").json()["code"]
    assert clinician.http.post("/api/v1/clinician/invites", json={"code": code}).status_code == 200
    # a used code works once
    again = stranger_.http.post("/api/v1/clinician/invites", json={"code": code})
    assert again.status_code == 404
    yield World(
        a, b_, clinician, stranger_, interview, pdf.json()["job"], (interview, SECRET_NOTE, a.key)
    )
    for account in (a, b_, clinician, stranger_):
        account.close()


def fill(path: str, w: World) -> str:
    clinician_id = w.clinician.http.get("/api/v1/account").json()["id"]
    return (
        path.replace("{interview_id}", w.interview)
        .replace("{person}", w.a.key)
        .replace("{clinician_id}", str(clinician_id))
        .replace("{job_id}", str(w.job))
    )


def a_snapshot(w: World) -> dict[str, Any]:
    http = w.a.http
    return {
        "result": http.get(f"/api/v1/interviews/{w.interview}/result").json()["triage"],
        "checkins": http.get("/api/v1/checkins").json(),
        "activities": http.get("/api/v1/activities").json(),
        "plan": http.get("/api/v1/plan").json()["plan"],
        "profile": http.get("/api/v1/profile").json(),
        "sharing": http.get("/api/v1/sharing").json(),
        "job": http.get(f"/api/v1/jobs/{w.job}").json()["status"],
    }


def test_every_person_route_is_in_the_table() -> None:
    routes = set(person_routes())
    missing = sorted(routes - set(ROUTES))
    assert not missing, f"routes with no isolation check: {missing}"
    stale = sorted(set(ROUTES) - routes)
    assert not stale, f"isolation checks for routes that no longer exist: {stale}"


def test_no_route_without_credentials(world: World, service_server: LiveServer) -> None:
    with httpx.Client(base_url=service_server.url, timeout=60) as anonymous:
        for method, path in person_routes():
            got = anonymous.request(method, fill(path, world))
            if path.startswith("/api/"):
                assert got.status_code == 401, (method, path, got.status_code)
            else:
                # a page sends to sign-in; a form post without a session fails its CSRF check
                assert got.status_code in (303, 403), (method, path, got.status_code)
                if got.status_code == 303:
                    assert got.headers["location"] == "/signin"


def test_b_cannot_read_change_or_delete_what_is_a_s(world: World) -> None:
    before = a_snapshot(world)
    assert SECRET_NOTE in str(before["checkins"])
    order = sorted(ROUTES, key=lambda r: "delete" in r[1] or "forget" in r[1] or "signout" in r[1])
    for method, path in order:
        call, addresses_a = ROUTES[(method, path)]
        who, kwargs = call(world)
        client = world.b.http if who == "b" else world.stranger.http
        url = fill(path, world)
        got = client.request(method, url, **kwargs)
        where = (method, path, got.status_code, got.text[:200])
        assert got.status_code < 500, where
        if addresses_a:
            assert got.status_code == 404, where
        for marker in world.markers:
            if marker not in url + str(kwargs):  # a 404 may name the id it was asked for
                assert marker not in got.text, where
        if "signout" in path:
            world.b.sign_in()
    assert a_snapshot(world) == before


def test_a_clinician_sees_only_who_shared_and_nothing_after_revoking(world: World) -> None:
    c, s, a = world.clinician.http, world.stranger.http, world.a
    listed = c.get("/api/v1/clinician/people").json()["people"]
    assert [p["person"] for p in listed] == [a.key]
    assert listed[0]["last_triage"] and listed[0]["current_phase"]
    assert s.get("/api/v1/clinician/people").json()["people"] == []
    assert c.get(f"/api/v1/clinician/people/{a.key}/fhir").status_code == 200
    assert (
        c.post(
            f"/api/v1/clinician/people/{a.key}/notes", json={"text": "ease off the hills"}
        ).status_code
        == 201
    )
    phases = c.get(f"/api/v1/clinician/people/{a.key}").json()["phases"]
    moved = c.post(
        f"/api/v1/clinician/people/{a.key}/phase",
        json={"phase": phases[-1]["phase"], "reason": "seen in clinic today"},
    )
    assert moved.status_code == 200, moved.text
    # a person is not a clinician
    assert world.b.http.get("/api/v1/clinician/people").status_code == 403
    log = a.http.get("/api/v1/audit").json()
    actions = {e["action"] for e in log["entries"]}
    assert {"share_accepted", "read_summary", "read_fhir", "add_note", "adjust_phase"} <= actions
    assert all(e["clinician"] == "c@example.org" for e in log["entries"])
    assert [n["text"] for n in log["notes"]] == ["ease off the hills"]
    clinician_id = a.http.get("/api/v1/sharing").json()["clinicians"][0]["id"]
    assert a.http.delete(f"/api/v1/sharing/{clinician_id}").status_code == 200
    assert c.get("/api/v1/clinician/people").json()["people"] == []
    for method, path in person_routes():
        if "{person}" in path:
            got = c.request(
                method, fill(path, world), json={"text": "x", "phase": "x", "reason": "x"}
            )
            assert got.status_code == 404, (method, path)
