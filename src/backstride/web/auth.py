"""Who a request comes from in service mode, and the defences around it.

Scripts send ``Authorization: Bearer TOKEN`` (from ``POST /api/v1/auth/token``); pages carry a
session cookie (HttpOnly, SameSite=Lax, Secure and ``__Host-`` named behind TLS). Any request
that changes something and does not come with a bearer token must carry the anti-forgery token:
a double-submit cookie whose value the pages put in a hidden field of every form (and htmx in
an ``X-CSRF-Token`` header). In local mode none of this applies: one person, no sign-in.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import Response

from backstride.web.errors import ApiError

if TYPE_CHECKING:
    from backstride.service.accounts import Caller

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def service(request: Request) -> bool:
    """True when the app runs in service mode (accounts)."""
    return bool(request.app.state.settings.mode == "service")


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.cookie_secure)


def session_cookie(request: Request) -> str:
    """The session cookie's name (``__Host-`` prefixed when Secure)."""
    return "__Host-backstride_session" if _secure(request) else "backstride_session"


def csrf_cookie(request: Request) -> str:
    """The anti-forgery cookie's name."""
    return "__Host-backstride_csrf" if _secure(request) else "backstride_csrf"


def bearer(request: Request) -> str | None:
    """The bearer token of the request, if it has one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def not_signed_in() -> ApiError:
    """The 401 every protected route answers without a valid token or session."""
    return ApiError(401, "not_signed_in", "sign in first (a bearer token or a session)")


def authenticate(request: Request) -> Caller:
    """The signed-in caller (cached on the request); ApiError 401 when there is none."""
    cached = getattr(request.state, "caller", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from backstride.service.accounts import caller

    token = bearer(request)
    who = None
    if token is not None:
        who = caller(token, kind="bearer")
    else:
        cookie = request.cookies.get(session_cookie(request))
        if cookie:
            who = caller(cookie, kind="session")
    if who is None:
        raise not_signed_in()
    request.state.caller = who
    return who


async def check_csrf(request: Request) -> None:
    """Refuse a change that does not prove it comes from our own pages: every unsafe request
    without a bearer token must send the anti-forgery cookie's value back, in the form field
    or the header. (A bearer token is never sent by a browser on its own, so it needs none.)"""
    if not service(request) or request.method in SAFE_METHODS or bearer(request) is not None:
        return
    carries_session = session_cookie(request) in request.cookies
    if request.url.path.startswith("/api/") and not carries_session:
        return  # a script without a cookie: nothing ambient to forge; 401 follows if needed
    expected = request.cookies.get(csrf_cookie(request), "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and "form" in request.headers.get("content-type", ""):
        sent = str((await request.form()).get(CSRF_FIELD, ""))
    if not expected or not secrets.compare_digest(expected, sent):
        raise ApiError(
            403, "csrf_failed", "this form is out of date or did not come from this site: reload"
        )


def csrf_token(request: Request) -> str | None:
    """The anti-forgery token for the page being rendered (None in local mode): the cookie's
    value, or a new one that :func:`set_csrf_cookie` then sets."""
    if not service(request):
        return None
    token = request.cookies.get(csrf_cookie(request)) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Set the anti-forgery cookie if this page made a new one."""
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(
            csrf_cookie(request),
            token,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/",
        )


def set_session(request: Request, response: Response, token: str, max_age: int) -> None:
    """Put the session cookie on a response (after sign-in)."""
    response.set_cookie(
        session_cookie(request),
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def clear_session(request: Request, response: Response) -> None:
    """Remove the session cookie (after sign-out)."""
    response.delete_cookie(
        session_cookie(request), path="/", secure=_secure(request), httponly=True, samesite="lax"
    )


def client_address(request: Request) -> str:
    """The address sign-in failures are counted under: the connecting peer's, or the client's
    that a trusted proxy names in X-Forwarded-For (``BACKSTRIDE_FORWARDED_ALLOW_IPS``;
    docs/deploy.md)."""
    return request.client.host if request.client else "unknown"
