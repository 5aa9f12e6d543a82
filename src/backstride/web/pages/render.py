"""Rendering pages with Jinja2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))


def csrf_field(request: Request) -> Markup:
    """The hidden anti-forgery field every form carries in service mode (nothing in local
    mode)."""
    from backstride.web.auth import CSRF_FIELD, csrf_token

    token = csrf_token(request)
    if token is None:
        return Markup("")
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


templates.env.globals["csrf_field"] = csrf_field


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template (in service mode with the anti-forgery cookie, and who is
    signed in for the menu)."""
    from backstride.web.auth import csrf_token, service, set_csrf_cookie

    if service(request):
        context.setdefault("csrf", csrf_token(request))
        context.setdefault("signed_in", getattr(request.state, "caller", None))
    response = templates.TemplateResponse(request, name, context, status_code=status)
    set_csrf_cookie(request, response)
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """A plain page saying what went wrong."""
    return page(request, "error.html", status=status, status_code=status, message=message)
