"""Fuzzing signed in as a clinician, over real HTTP on real PostgreSQL, with a person who shares
with that clinician, so that the generated requests reach real data (not only 401, 403, 404).

- The JSON API: schemathesis over every clinician route of the schema, with the clinician's
  bearer token; about half the examples name the person who shares (the rest are generated),
  a fresh invite code or a phase of the person's plan. No 5xx, no response outside its
  documented status codes, content types and schemas; and each route answered 2xx at least once.
  The rest of the API is run with the clinician's token too, more lightly.
- The pages: hypothesis over each clinician page route's form fields, signed in through the
  sign-in page with a session cookie and the anti-forgery token, as a browser is. The fields
  are read from the forms the pages render; a POST route with no form found is a failure. No
  5xx, and every error answer names what is wrong.

Both lists of routes come from the app's route table, so a new clinician route is fuzzed
without a change here (and one the schema leaves out fails the test).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.web.app import create_app
from backstride.web.settings import Settings
from tests.service.conftest import Account, make_clinician
from tests.service.test_asvs import sign_in_page
from tests.service.test_web_jobs import follow_a_plan
from tests.web.conftest import LiveServer
from tests.web.test_schema import CHECKS, operations

CLINICIAN = "clinician@example.org"
RUNNER = "runner@example.org"
TEXT = st.text(max_size=300)
PATH_TEXT = st.text(min_size=1, max_size=40)
# A small dictionary of numbers that break parsers, as fuzzers keep: a sign, an overflow, digits
# of other scripts and kinds (a superscript or a circled digit is a digit to str.isdigit, which
# int() refuses).
NUMBERS = ("-1", "99999999999999999999", "²", "①", "٣")
SHORT = st.one_of(st.text(max_size=3), st.sampled_from(NUMBERS))


def clinician_routes(api: bool) -> set[tuple[str, str]]:
    """(method, path) of the clinician routes in the app's route table: the JSON API's
    (``/api/v1/clinician...``) or the pages' (``/clinician...``)."""
    app = create_app(Settings(mode="service", preload=False))
    prefix = "/api/v1/clinician" if api else "/clinician"
    found = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path.startswith(prefix):
            found |= {(m, context.path) for m in route.methods}
    return found


@dataclass
class Shared:
    """A person who shares with a clinician (both signed in over the API), and the phases of
    the person's plan."""

    runner: Account
    clinician: Account
    rungs: list[dict[str, Any]] = field(default_factory=list)

    def code(self) -> str:
        """A fresh invite code of the person."""
        made = self.runner.http.post("/api/v1/sharing/invites")
        assert made.status_code == 201, made.text
        return str(made.json()["code"])


@pytest.fixture
def shared(service_server: LiveServer) -> Iterator[Shared]:
    runner = Account(service_server.url, RUNNER)
    clinician = Account(service_server.url, CLINICIAN)
    make_clinician(CLINICIAN)
    follow_a_plan(runner)
    for pain in (6, 5, 3, 2):  # a pain trend to show
        got = runner.http.post("/api/v1/checkins", json={"pain_now": pain})
        assert got.status_code == 201, got.text
    w = Shared(runner, clinician)
    accepted = clinician.http.post("/api/v1/clinician/invites", json={"code": w.code()})
    assert accepted.status_code == 200, accepted.text
    detail = clinician.http.get(f"/api/v1/clinician/people/{runner.key}")
    assert detail.status_code == 200, detail.text
    w.rungs = detail.json()["ladder"]
    assert w.rungs
    yield w
    runner.close()
    clinician.close()


# --- the JSON API --------------------------------------------------------------------------------


def steer(case: Any, w: Shared, real: bool, valid: bool) -> None:
    """Point a generated request at the real data: the person who shares, a fresh code, a
    phase of the plan (the rest of the request stays as generated)."""
    if real and "person" in (case.path_parameters or {}):
        case.path_parameters["person"] = w.runner.key
    if not valid or not isinstance(case.body, dict):
        return
    if case.path == "/api/v1/clinician/invites":
        case.body["code"] = w.code()
    elif case.path.endswith("/phase"):
        reason = str(case.body.get("reason", ""))
        rung = w.rungs[len(reason) % len(w.rungs)]
        case.body.update(phase=rung["phase"], step=rung["step"])
        case.body["reason"] = reason if reason.strip() else f"fuzzed{reason}"


def test_the_clinician_api_fuzzed_with_real_data(
    service_server: LiveServer, shared: Shared
) -> None:
    w = shared
    headers = {"Authorization": w.clinician.http.headers["authorization"]}
    ops = operations(service_server)
    documented = {(op.method.upper(), op.path) for op in ops}
    routes = clinician_routes(api=True)
    assert routes and routes <= documented, routes - documented  # every route is fuzzed
    answered: dict[tuple[str, str], set[int]] = {route: set() for route in routes}
    failures: list[str] = []

    def fuzz(operation: Any, key: tuple[str, str]) -> None:
        ours = key in routes

        @given(case=operation.as_strategy(), real=st.booleans(), valid=st.booleans())
        @settings(
            max_examples=30 if ours else 3, deadline=None, suppress_health_check=list(HealthCheck)
        )
        def check(case: Any, real: bool, valid: bool) -> None:
            if ours:
                steer(case, w, real, valid)
            response = case.call_and_validate(
                base_url=service_server.url, headers=headers, checks=CHECKS, timeout=60
            )
            if ours:
                answered[key].add(response.status_code)

        check()

    for operation in ops:
        key = (operation.method.upper(), operation.path)
        if key == ("POST", "/api/v1/auth/signout"):
            continue  # it would end the token the run goes on with
        try:
            fuzz(operation, key)
        except (Exception, BaseExceptionGroup) as exc:  # each route's failure, then all
            failures.append(f"{key[0]} {key[1]}: {exc}"[:1500])
    if failures:
        pytest.fail("\n\n".join(failures))
    # the fuzz reached the data: every clinician route said yes at least once
    unreached = {f"{m} {p}": sorted(s) for (m, p), s in answered.items() if not s & {200, 201}}
    assert not unreached, unreached
    log = w.runner.http.get("/api/v1/audit").json()
    actions = {e["action"] for e in log["entries"]}
    assert {"read_detail", "add_note", "adjust_phase", "read_fhir"} <= actions, actions
    assert w.clinician.http.get("/api/v1/account").status_code == 200


# --- the pages -----------------------------------------------------------------------------------


@dataclass
class FormSpec:
    """A form of a page: where it posts, and its fields (name -> the values offered, if any)."""

    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class Forms(HTMLParser):
    """Every POST form of a page with its named fields (a select's options as its values)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[FormSpec] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.forms.append(FormSpec(a.get("action", "")))
        elif self.forms and tag in ("input", "textarea", "select") and a.get("name"):
            self.forms[-1].fields.setdefault(a["name"], [])
            if tag == "select":
                self._select = a["name"]
            elif a.get("value") and a.get("type") in ("hidden", "radio", "checkbox"):
                self.forms[-1].fields[a["name"]].append(a["value"])
        elif tag == "option" and self._select and self.forms:
            self.forms[-1].fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[FormSpec]:
    """The POST forms of a page."""
    parser = Forms()
    parser.feed(html)
    return parser.forms


def template_of(action: str, key: str) -> str:
    """A form's action as a route path: the person's id back to ``{person}``."""
    return action.replace(quote(key, safe=""), "{person}")


def named_error(response: httpx.Response) -> str:
    """What an error answer says is wrong (a page's alert, or the JSON error's message)."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return str(response.json().get("error", {}).get("message", ""))
    found = re.search(r'role="alert">([^<]+)<', response.text)
    return found.group(1).strip() if found else ""


def field_values(offered: list[str]) -> st.SearchStrategy[str]:
    """What goes in a form field: any text, and for a field with choices (a select) a choice,
    a choice with text after it, or a choice's first part with other text after its separator
    (``return_to_run:3`` -> ``return_to_run:`` and text)."""
    if not offered:
        return TEXT
    choice = st.sampled_from(offered)
    return st.one_of(
        choice,
        TEXT,
        st.builds(lambda o, t: o + t, choice, TEXT),
        st.builds(lambda o, t: o.partition(":")[0] + ":" + t, choice, SHORT),
    )


def test_the_clinician_pages_fuzzed_with_real_data(
    service_server: LiveServer, shared: Shared
) -> None:
    w = shared
    routes = clinician_routes(api=False)
    key = w.runner.key
    seen: dict[tuple[str, str], set[int]] = {route: set() for route in routes}
    failures: list[str] = []
    with httpx.Client(base_url=service_server.url, timeout=60) as browser:
        signed = sign_in_page(browser, CLINICIAN, w.clinician.password)
        assert signed.status_code == 303, signed.text
        pages = [browser.get("/clinician"), browser.get(f"/clinician/people/{quote(key)}")]
        assert all(p.status_code == 200 for p in pages)
        forms = {template_of(f.action, key): f for p in pages for f in forms_of(p.text)}
        posts = {path for method, path in routes if method == "POST"}
        assert posts and posts <= set(forms), f"no form found for {posts - set(forms)}"
        token = forms["/clinician/accept"].fields["csrf_token"][0]

        def send(method: str, path: str, person: str, data: dict[str, str] | None) -> None:
            url = path.replace("{person}", quote(person, safe=""))
            got = browser.request(method, url, data=data, follow_redirects=False)
            seen[(method, path)].add(got.status_code)
            where = f"{method} {url} {data}"
            assert got.status_code < 500, f"{where}: {got.status_code}"
            if got.status_code >= 400:
                assert named_error(got), f"{where}: {got.status_code} names no error"

        def fuzz(method: str, path: str) -> None:
            spec = forms.get(path)
            fields = {n: v for n, v in (spec.fields if spec else {}).items() if n != "csrf_token"}

            @given(
                person=st.one_of(st.just(key), PATH_TEXT),
                values=st.fixed_dictionaries(
                    {name: field_values(offered) for name, offered in fields.items()}
                ),
                mode=st.sampled_from(("generated", "filled", "valid")),
            )
            @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
            def check(person: str, values: dict[str, str], mode: str) -> None:
                # filled: the person who shares and some text in every text field, so that
                # the choices are what is tried; valid: an offered choice too, a fresh code
                if mode != "generated":
                    person = key
                    for name, offered in fields.items():
                        value = values[name]
                        if offered and value not in offered and mode == "valid":
                            values[name] = offered[len(value) % len(offered)]
                        elif not offered and not value.strip():
                            values[name] = f"fuzzed{value}"
                    if path == "/clinician/accept" and mode == "valid":
                        values["code"] = w.code()
                data = {**values, "csrf_token": token} if method == "POST" else None
                send(method, path, person, data)

            check()

        for method, path in sorted(routes):
            try:
                fuzz(method, path)
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{method} {path}: {exc}"[:1500])
        # a form posted without the anti-forgery token is refused, and says why
        refused = browser.post(f"/clinician/people/{quote(key)}/notes", data={"text": "x"})
        assert refused.status_code == 403 and named_error(refused)
        # found by this fuzz: a superscript digit after the colon was a 500 (str.isdigit is
        # true for it, int() refuses it); now a named 422
        for bad in ("calm:²", "return_to_run:①", "calm:", "calm:-1"):
            got = browser.post(
                f"/clinician/people/{quote(key)}/phase",
                data={"phase": bad, "reason": "x", "csrf_token": token},
            )
            assert got.status_code == 422 and named_error(got), (bad, got.status_code)
    if failures:
        pytest.fail("\n\n".join(failures))
    unreached = {f"{m} {p}": sorted(s) for (m, p), s in seen.items() if not s & {200, 303}}
    assert not unreached, unreached
    assert w.runner.http.get("/api/v1/audit").json()["notes"], "no note reached the person"
