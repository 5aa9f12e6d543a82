"""schemathesis against the OpenAPI schema, over real HTTP: requests generated for every API
route never get a 5xx, and every response matches the status codes, content types and schema
it documents."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.conftest import LiveServer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def operations(server: LiveServer) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    found = [r.ok() for r in schema.include(path_regex="^/api/v1/").get_all_operations()]
    return found


def test_every_api_route_is_checked(server: LiveServer) -> None:
    paths = {op.path for op in operations(server)}
    assert "/api/v1/interviews/{interview_id}/answers" in paths
    assert len(paths) >= 25


def test_no_5xx_and_no_schema_violation(server: LiveServer) -> None:
    failures: list[str] = []
    for operation in operations(server):

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(base_url=server.url, checks=CHECKS, timeout=60)

        try:
            check()
        except Exception as exc:  # collect every route's first failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:1500])
    if failures:
        pytest.fail("\n\n".join(failures))
