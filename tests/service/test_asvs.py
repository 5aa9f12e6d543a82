"""ASVS 5.0 level 1 items that need the pages or the clock (docs/security.md maps each item to
its test): password fields (6.2.6, 6.2.7, no length cap below 64), the invite code's expiry
(6.4.1), a new session at every sign-in (7.2.4) and sign-out ending the session on the server
(7.4.1). Over real HTTP on real PostgreSQL, with the cookies a browser would keep."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from tests.service.conftest import Account, make_clinician
from tests.web.conftest import LiveServer

PASSWORD = "a quiet run by the river"
LONG_PASSWORD = "the long loop past the lock keepers cottage and back along the towpath" * 2


class Inputs(HTMLParser):
    """Every <input> of a page, as a dict of its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []
        self.paste_blocked = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.found.append(dict(attrs))
        if any(name in ("onpaste", "oncopy") for name, _ in attrs):
            self.paste_blocked = True


def inputs(html: str) -> Inputs:
    parser = Inputs()
    parser.feed(html)
    return parser


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text[:300]
    return found.group(1)


def session_of(response: httpx.Response) -> str:
    found = re.search(r"backstride_session=([^;]+)", response.headers.get("set-cookie", ""))
    assert found is not None, response.headers
    return found.group(1)


def sign_in_page(http: httpx.Client, email: str, password: str) -> httpx.Response:
    token = csrf(http.get("/signin"))
    return http.post("/signin", data={"email": email, "password": password, "csrf_token": token})


def test_password_fields_are_hidden_fillable_and_not_capped(service_server: LiveServer) -> None:
    with httpx.Client(base_url=service_server.url, timeout=60) as browser:
        pages = {"/signin": browser.get("/signin"), "/signup": browser.get("/signup")}
        token = csrf(pages["/signup"])
        # a long passphrase (over 64 characters) is taken whole, at sign-up and sign-in
        made = browser.post(
            "/signup",
            data={"email": "long@example.org", "password": LONG_PASSWORD, "csrf_token": token},
        )
        assert made.status_code == 303, made.text
        pages["/account"] = browser.get("/account")
    for path, page in pages.items():
        assert page.status_code == 200, path
        found = inputs(page.text)
        assert not found.paste_blocked, path
        passwords = [i for i in found.found if "password" in str(i.get("name"))]
        assert passwords, f"{path}: no password field"
        for field in passwords:
            assert field.get("type") == "password", (path, field)  # 6.2.6
            # 6.2.7: password managers know what to fill in
            assert field.get("autocomplete") in ("current-password", "new-password"), (path, field)
            cap = field.get("maxlength")
            assert cap is None or int(cap) >= 64, (path, field)
    signup = [i for i in inputs(pages["/signup"].text).found if i.get("name") == "password"]
    assert signup[0]["autocomplete"] == "new-password"
    with httpx.Client(base_url=service_server.url, timeout=60) as other:
        assert sign_in_page(other, "long@example.org", LONG_PASSWORD).status_code == 303
        assert sign_in_page(other, "long@example.org", LONG_PASSWORD[:64]).status_code == 400


def test_an_invite_code_expires(
    service_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_NOW", "2026-11-02T09:00:00")
    monkeypatch.setenv("BACKSTRIDE_INVITE_MINUTES", "60")
    person = Account(service_server.url, "p@example.org")
    clinician = Account(service_server.url, "c@example.org")
    make_clinician("c@example.org")
    made = person.http.post("/api/v1/sharing/invites").json()
    assert made["expires_at"].startswith("2026-11-02T10:00:00")
    fresh = person.http.post("/api/v1/sharing/invites").json()["code"]
    monkeypatch.setenv("BACKSTRIDE_NOW", "2026-11-02T10:00:01")  # a second past its hour
    late = clinician.http.post("/api/v1/clinician/invites", json={"code": made["code"]})
    assert late.status_code == 404, late.text
    assert clinician.http.get("/api/v1/clinician/people").json()["people"] == []
    monkeypatch.setenv("BACKSTRIDE_NOW", "2026-11-02T09:59:59")  # the other code, in time
    ok = clinician.http.post("/api/v1/clinician/invites", json={"code": fresh})
    assert ok.status_code == 200, ok.text
    assert len(clinician.http.get("/api/v1/clinician/people").json()["people"]) == 1
    person.close()
    clinician.close()


def test_signing_in_issues_a_new_session_and_ends_the_old_one(
    service_server: LiveServer,
) -> None:
    Account(service_server.url, "fix@example.org").close()
    with httpx.Client(base_url=service_server.url, timeout=60) as browser:
        first = session_of(sign_in_page(browser, "fix@example.org", PASSWORD))
        assert browser.get("/account").status_code == 200
        # signing in again with the session cookie still there (a planted one included)
        second = session_of(sign_in_page(browser, "fix@example.org", PASSWORD))
        assert second != first
        assert browser.get("/account").status_code == 200
    with httpx.Client(
        base_url=service_server.url, cookies={"backstride_session": first}
    ) as old:  # the first session no longer opens anything
        assert old.get("/account").status_code == 303
        assert old.get("/api/v1/account").status_code == 401
    planted = "made-up-by-someone-else"
    with httpx.Client(
        base_url=service_server.url, cookies={"backstride_session": planted}
    ) as browser:
        signed = sign_in_page(browser, "fix@example.org", PASSWORD)
        assert session_of(signed) != planted  # the server makes the id, never the client


def test_signing_out_ends_the_session_on_the_server(service_server: LiveServer) -> None:
    Account(service_server.url, "out@example.org").close()
    with httpx.Client(base_url=service_server.url, timeout=60) as browser:
        signed = sign_in_page(browser, "out@example.org", PASSWORD)
        cookie = session_of(signed)
        token = csrf(browser.get("/account"))
        out = browser.post("/signout", data={"csrf_token": token})
        assert out.status_code == 303 and out.headers["location"] == "/signin"
    # the same cookie, kept by someone (an old tab, a copy): the server no longer knows it
    with httpx.Client(base_url=service_server.url, cookies={"backstride_session": cookie}) as old:
        assert old.get("/account").status_code == 303
        assert old.get("/api/v1/account").status_code == 401
