"""Errors as JSON: ``{"error": {"code": "snake_case", "message": "one line"}}``, never a trace.

Every library error a person can cause maps to a 4xx with a stable code; the pages show the same
message in an HTML page. Anything unexpected is logged here and answered with a plain 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from backstride.errors import BackstrideError, EvidenceError, InputError
from backstride.inputs import printable, shorten
from backstride.recovery.interviews import BadAnswers, Conflict, NotFound
from backstride.recovery.plans import NoPlan
from backstride.recovery.workspace import ConflictError, StoreError

log = logging.getLogger("backstride.web")
RETRY_AFTER_SECONDS = 2  # a 503 (database away or busy) says when to try again

STATUS_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
}
NO_PLAN_STATUS = {"no_plan": 404, "no_answers": 422, "interview_not_done": 409}


class ErrorDetail(BaseModel):
    """What went wrong."""

    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error response."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": code.replace("_", " ")}
    for status, code in {
        400: "bad request",
        404: "not found",
        409: "conflict with the current state",
        413: "too large",
        422: "invalid input",
    }.items()
}


class ApiError(Exception):
    """An error with its status and code, raised by a route."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def one_line(message: str) -> str:
    """A message on one line, cut to a few hundred characters, undecodable bytes escaped."""
    return shorten(" ".join(printable(str(message)).split()))


def classify(exc: BaseException) -> tuple[int, str, str]:
    """(status, code, message) for an error; 500 for anything not foreseen."""
    from backstride.service.accounts import AccountError
    from backstride.web.limits import TooLarge

    if isinstance(exc, ApiError):
        return exc.status, exc.code, exc.message
    if isinstance(exc, AccountError):
        return exc.status, exc.code, str(exc)
    if isinstance(exc, TooLarge):
        return 413, exc.code, str(exc.detail)
    if isinstance(exc, NotFound):
        return 404, "not_found", str(exc)
    if isinstance(exc, Conflict):
        return 409, exc.code, str(exc)
    if isinstance(exc, BadAnswers):
        return 422, exc.code, str(exc)
    if isinstance(exc, NoPlan):
        return NO_PLAN_STATUS.get(exc.code, 409), exc.code, str(exc)
    if isinstance(exc, ConflictError):
        return 409, "conflict", str(exc)
    if isinstance(exc, StoreError):
        return 503, "database_unavailable", str(exc)
    if isinstance(exc, InputError | EvidenceError):
        return 422, "invalid_input", str(exc)
    if isinstance(exc, BackstrideError):
        return 422, "invalid_input", str(exc)
    if isinstance(exc, RequestValidationError):
        return 422, "invalid_request", validation_message(exc)
    if isinstance(exc, StarletteHTTPException):
        code = STATUS_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return exc.status_code, code, detail
    return 500, "internal_error", "something went wrong on our side; nothing you sent was lost"


def validation_message(exc: RequestValidationError) -> str:
    """The first problem, naming the field: 'answers.pain_buttock: Input should be a ...'."""
    errors = exc.errors()
    if not errors:
        return "the request is not valid"
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where or 'the request'}: {first.get('msg', 'not valid')}{more}"


def error_response(status: int, code: str, message: str) -> JSONResponse:
    """The JSON error response."""
    return JSONResponse({"error": {"code": code, "message": one_line(message)}}, status_code=status)


def wants_html(request: Request) -> bool:
    """True for page requests: anything outside the API that is not asking for JSON."""
    path = request.url.path
    if path.startswith("/api/") or path in ("/openapi.json", "/docs"):
        return False
    return "application/json" not in request.headers.get("accept", "")


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into JSON (or an HTML page)."""

    async def handle(request: Request, exc: Exception) -> Response:
        status, code, message = classify(exc)
        if status == 503:
            # The database is away (a restart, a failover): nothing was half-saved, since each
            # request is one transaction. Say when to try again; no stack trace in the log.
            log.warning("%s %s: %s", request.method, request.url.path, one_line(message))
        elif status >= 500:
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        response: Response
        if wants_html(request):
            if status == 401:  # a page needs a session: sign in, then come back
                from fastapi.responses import RedirectResponse

                return RedirectResponse("/signin", status_code=303)
            from backstride.web.pages.render import error_page

            response = error_page(request, status, one_line(message))
        else:
            response = error_response(status, code, message)
            if status == 401:
                response.headers["www-authenticate"] = "Bearer"
        if status == 503:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    # Errors a person can cause are answered where they happen; Exception (the last resort)
    # is answered by the outermost layer, which also logs it.
    for kind in (
        BackstrideError,
        ApiError,
        StarletteHTTPException,
        RequestValidationError,
        Exception,
    ):
        app.add_exception_handler(kind, handle)
