"""schemathesis against the service-mode API, signed in: a registered account's bearer token goes
with every generated request, so the routes answer as they do for a person (not only 401), over
real HTTP on real PostgreSQL. No 5xx, and every response matches the schema it documents."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.service.conftest import Account
from tests.web.conftest import LiveServer
from tests.web.test_schema import CHECKS, operations

# Routes that would end the token the run goes on with.
SKIPPED = {("POST", "/api/v1/auth/signout")}


def test_signed_in_no_5xx_and_no_schema_violation(service_server: LiveServer) -> None:
    account = Account(service_server.url, "fuzz@example.org")
    headers = {"Authorization": account.http.headers["authorization"]}
    assert account.http.get("/api/v1/plan.pdf").status_code == 404  # no plan yet
    assert account.http.post("/api/v1/plan.pdf/jobs").status_code == 404  # so no job either
    failures: list[str] = []
    checked = 0
    for operation in operations(service_server):
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        checked += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(
                base_url=service_server.url, headers=headers, checks=CHECKS, timeout=60
            )

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # each route's failure, then all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:1500])
    assert checked >= 40, checked  # the accounts, sharing, clinician and job routes are in
    me = account.http.get("/api/v1/account")
    assert me.status_code == 200, "the run ended its own token"
    account.close()
    if failures:
        pytest.fail("\n\n".join(failures))
