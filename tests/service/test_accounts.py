"""Accounts over real HTTP on PostgreSQL: the service-mode section of shared/contract/api.md
(register, token, bearer on every route, 401 without), passwords, sign-out, password change,
the per-account and per-address sign-in limits (counted in the database), and the cookie
session with its anti-forgery token."""

from __future__ import annotations

import re

import httpx
import pytest

from backstride.service.accounts import common_passwords, password_problem
from tests.service.conftest import Account
from tests.web.conftest import LiveServer

STORY = "sore low back after a long run, no numbness, no leg pain"


def test_the_contract_register_token_bearer_and_401(service_server: LiveServer) -> None:
    a = Account(service_server.url, "ana@example.org")
    started = a.http.post("/api/v1/interviews", json={"story": STORY})
    assert started.status_code == 201
    interview = started.json()["id"]
    assert a.http.get(f"/api/v1/interviews/{interview}/result").status_code == 200
    with httpx.Client(base_url=service_server.url) as anonymous:
        for method, path in (
            ("POST", "/api/v1/interviews"),
            ("GET", f"/api/v1/interviews/{interview}/result"),
            ("GET", "/api/v1/checkins"),
        ):
            denied = anonymous.request(method, path, json={"story": ""})
            assert denied.status_code == 401, path
            assert denied.json()["error"]["code"] == "not_signed_in"
            assert denied.headers["www-authenticate"] == "Bearer"
        bad = anonymous.post(
            "/api/v1/auth/token", data={"username": "ana@example.org", "password": "wrong one!"}
        )
        assert bad.status_code in (400, 401)
        assert "access_token" not in bad.text
        forged = anonymous.get("/api/v1/checkins", headers={"authorization": "Bearer not-a-token"})
        assert forged.status_code == 401
    a.close()


def test_passwords_length_and_the_common_list_only() -> None:
    assert len(common_passwords()) >= 3000
    assert len([p for p in common_passwords() if len(p) >= 8]) >= 3000
    assert password_problem("short") is not None
    assert password_problem("password1") is not None  # common
    assert password_problem("Password1") is not None  # common, whatever the case
    assert password_problem("iloveyou") is not None
    assert password_problem("tide pools at dawn") is None  # no composition rules
    assert password_problem("ñandú corre 🏃 lejos") is None  # any characters


def test_register_refuses_weak_passwords_and_taken_emails(service_server: LiveServer) -> None:
    with httpx.Client(base_url=service_server.url) as http:
        weak = http.post(
            "/api/v1/auth/register", json={"email": "bo@example.org", "password": "12345678"}
        )
        assert weak.status_code == 422 and weak.json()["error"]["code"] == "weak_password"
        body = {"email": "bo@example.org", "password": "a quiet run by the river"}
        assert http.post("/api/v1/auth/register", json=body).status_code == 201
        again = http.post("/api/v1/auth/register", json={**body, "email": "BO@example.org"})
        assert again.status_code == 400


def test_password_is_checked_exactly_as_typed(service_server: LiveServer) -> None:
    a = Account(service_server.url, "cy@example.org", "Tide Pools At Dawn")
    with httpx.Client(base_url=service_server.url) as http:
        for wrong in ("tide pools at dawn", "Tide Pools At Daw", "Tide Pools At Dawn "):
            got = http.post(
                "/api/v1/auth/token", data={"username": "cy@example.org", "password": wrong}
            )
            assert got.status_code == 400, wrong
    a.close()


def test_sign_out_and_password_change_end_tokens(service_server: LiveServer) -> None:
    a = Account(service_server.url, "di@example.org")
    first = a.http.headers["authorization"]
    a.sign_in()
    second = a.http.headers["authorization"]
    changed = a.http.post(
        "/api/v1/auth/password",
        json={"current_password": a.password, "new_password": "a new path up the hill"},
    )
    assert changed.status_code == 200
    # the other token ended; the one in use goes on
    assert a.http.get("/api/v1/checkins", headers={"authorization": first}).status_code == 401
    assert a.http.get("/api/v1/checkins").status_code == 200
    wrong_current = a.http.post(
        "/api/v1/auth/password",
        json={"current_password": "not the password", "new_password": "another long phrase"},
    )
    assert wrong_current.status_code == 400
    assert a.http.post("/api/v1/auth/signout").status_code == 204
    assert a.http.get("/api/v1/checkins", headers={"authorization": second}).status_code == 401
    a.close()


def test_sign_in_is_limited_per_account_and_per_address(
    service_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_SIGN_IN_MAX_PER_ACCOUNT", "3")
    monkeypatch.setenv("BACKSTRIDE_SIGN_IN_MAX_PER_ADDRESS", "6")
    a = Account(service_server.url, "ed@example.org")
    with httpx.Client(base_url=service_server.url) as http:

        def attempt(email: str, password: str) -> int:
            form = {"username": email, "password": password}
            return http.post("/api/v1/auth/token", data=form).status_code

        assert [attempt("ed@example.org", "wrong guess!") for _ in range(3)] == [400] * 3
        # the account is locked for the window, even with the right password
        assert attempt("ed@example.org", a.password) == 429
        # other accounts from the same address: three more failures reach the address limit
        assert [attempt(f"x{i}@example.org", "wrong guess!") for i in range(3)] == [400] * 3
        assert attempt("nobody@example.org", "wrong guess!") == 429
    # the counters live in the database, not in the process
    from backstride.recovery.workspace import open_store
    from backstride.store.models import SignInFailureRow

    with open_store().session() as session:
        rows = {r.key: r.failures for r in session.query(SignInFailureRow)}
    assert rows["email:ed@example.org"] == 3
    assert rows["addr:127.0.0.1"] == 6
    a.close()


def test_pages_use_an_httponly_lax_session_and_csrf_on_every_form(
    service_server: LiveServer,
) -> None:
    Account(service_server.url, "fi@example.org").close()
    with httpx.Client(base_url=service_server.url, follow_redirects=False) as browser:
        assert browser.get("/today").headers["location"] == "/signin"
        form = browser.get("/signin")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        cookie = form.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        without = browser.post(
            "/signin", data={"email": "fi@example.org", "password": "a quiet run by the river"}
        )
        assert without.status_code == 403
        signed = browser.post(
            "/signin",
            data={
                "email": "fi@example.org",
                "password": "a quiet run by the river",
                "csrf_token": token.group(1),
            },
        )
        assert signed.status_code == 303
        session = signed.headers["set-cookie"]
        assert session.startswith("backstride_session=")
        assert "HttpOnly" in session and "SameSite=lax" in session
        today = browser.get("/data")
        assert today.status_code == 200
        forms = today.text.count("<form ")
        assert forms >= 1 and today.text.count('name="csrf_token"') >= forms
        assert 'hx-headers=\'{"X-CSRF-Token"' in today.text
        # a change without the token is refused, with it accepted
        assert browser.post("/interview", data={"story": STORY}).status_code == 403
        ok = browser.post("/interview", data={"story": STORY, "csrf_token": token.group(1)})
        assert ok.status_code == 303
        # the API with the session cookie needs the header too
        assert browser.post("/api/v1/interviews", json={"story": ""}).status_code == 403
        with_header = browser.post(
            "/api/v1/interviews", json={"story": ""}, headers={"x-csrf-token": token.group(1)}
        )
        assert with_header.status_code == 201
        out = browser.post("/signout", data={"csrf_token": token.group(1)})
        assert out.status_code == 303
        assert browser.get("/today").status_code == 303


def test_secure_cookies_behind_tls(service_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from backstride.service.database import upgrade_database
    from backstride.web.settings import Settings

    upgrade_database(service_env)
    monkeypatch.delenv("BACKSTRIDE_COOKIE_SECURE", raising=False)
    with LiveServer(Settings(mode="service")) as live, httpx.Client(base_url=live.url) as http:
        cookie = http.get("/signin").headers["set-cookie"]
        assert cookie.startswith("__Host-backstride_csrf=") and "Secure" in cookie


def test_the_role_command_refuses_an_unknown_account_in_one_line(
    service_server: LiveServer,
) -> None:
    from typer.testing import CliRunner

    from backstride.cli.app import app

    done = CliRunner().invoke(app, ["role", "nobody@example.org", "clinician"])
    assert done.exit_code == 2
    assert done.output.strip().splitlines() == [
        "backstride: no account with the email nobody@example.org"
    ]


def _counted_under(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str | None], headers: dict[str, str]
) -> set[str]:
    """The addresses a failed sign-in with these settings and headers is counted under."""
    from backstride.recovery.workspace import open_store
    from backstride.store.models import SignInFailureRow
    from backstride.web.settings import Settings

    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with open_store().session() as session:
        session.query(SignInFailureRow).delete()
    with LiveServer(Settings(mode="service")) as live, httpx.Client(base_url=live.url) as http:
        got = http.post(
            "/api/v1/auth/token",
            data={"username": "nobody@example.org", "password": "wrong guess!"},
            headers=headers,
        )
        assert got.status_code == 400, got.text
    with open_store().session() as session:
        keys = {r.key for r in session.query(SignInFailureRow)}
    return {k.removeprefix("addr:") for k in keys if k.startswith("addr:")}


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(
    service_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstride.service.database import upgrade_database

    upgrade_database(service_env)
    monkeypatch.setenv("BACKSTRIDE_COOKIE_SECURE", "false")

    def counted_under(trusted: str | None, forwarded: str) -> set[str]:
        env = {"BACKSTRIDE_FORWARDED_ALLOW_IPS": trusted}
        return _counted_under(monkeypatch, env, {"X-Forwarded-For": forwarded})

    # the default trusts no proxy: a spoofed header from the peer changes nothing
    assert counted_under(None, "203.0.113.9") == {"127.0.0.1"}
    # a proxy elsewhere is trusted, not this peer: still the peer's address
    assert counted_under("10.0.0.0/8", "203.0.113.9") == {"127.0.0.1"}
    # this peer is the trusted proxy: the client it names
    assert counted_under("127.0.0.1", "203.0.113.9") == {"203.0.113.9"}
    # what a client wrote before the proxy's entry is not believed: the proxy appends the
    # address it saw, and the nearest address that is not a trusted proxy is the client
    assert counted_under("127.0.0.1", "198.51.100.7, 203.0.113.9") == {"203.0.113.9"}


def test_rfc_7239_forwarded_is_believed_only_from_a_trusted_proxy_when_chosen(
    service_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstride.service.database import upgrade_database

    upgrade_database(service_env)
    monkeypatch.setenv("BACKSTRIDE_COOKIE_SECURE", "false")

    def counted_under(trusted: str, header: str, headers: dict[str, str]) -> set[str]:
        env = {"BACKSTRIDE_FORWARDED_ALLOW_IPS": trusted, "BACKSTRIDE_FORWARDED_HEADER": header}
        return _counted_under(monkeypatch, dict(env), headers)

    def forwarded(value: str) -> dict[str, str]:
        return {"Forwarded": value}

    # this peer is the trusted proxy, and it names the client in Forwarded
    assert counted_under("127.0.0.1", "forwarded", forwarded("for=203.0.113.9")) == {"203.0.113.9"}
    assert counted_under("127.0.0.1", "forwarded", forwarded('for="[2001:db8::9]:4711"')) == {
        "2001:db8::9"
    }
    # what a client wrote before the proxy's element is not believed
    chain = forwarded("for=198.51.100.7, for=203.0.113.9;proto=https")
    assert counted_under("127.0.0.1", "forwarded", chain) == {"203.0.113.9"}
    # a proxy elsewhere is trusted, not this peer: the peer's address
    assert counted_under("10.0.0.0/8", "forwarded", chain) == {"127.0.0.1"}
    # Forwarded chosen: a client's own X-Forwarded-For, passed through by the proxy, is not read
    forged = {"X-Forwarded-For": "198.51.100.66"}
    assert counted_under("127.0.0.1", "forwarded", forged) == {"127.0.0.1"}
    assert counted_under("127.0.0.1", "forwarded", {**forged, **chain}) == {"203.0.113.9"}
    # X-Forwarded-For chosen (the default): a client's own Forwarded is not read
    assert counted_under("127.0.0.1", "x-forwarded", chain) == {"127.0.0.1"}
    # a header that does not parse gets the proxy's address, not one the client chose
    broken = forwarded('for="198.51.100.7, for=203.0.113.9')
    assert counted_under("127.0.0.1", "forwarded", broken) == {"127.0.0.1"}
