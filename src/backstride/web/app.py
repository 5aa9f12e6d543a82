"""The app factory: the API, the pages, the static files, the limits and the error handlers."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from backstride import __version__
from backstride.web import errors
from backstride.web.auth import check_csrf
from backstride.web.settings import Settings

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
# The pages load nothing from anywhere else: no CDN, no font service, no analytics.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
DESCRIPTION = (
    "backstride: warning-sign triage, possible causes and a phased plan for runners and "
    "triathletes with low back or buttock pain. It suggests causes to discuss with a "
    'clinician; it does not diagnose.\n\nErrors are `{"error": {"code", "message"}}`. '
    "The interview and plan routes follow shared/contract/api.md."
)


class SecurityHeaders:
    """ASGI middleware: the same safety headers on every response, and which worker process
    answered (X-Backstride-Worker: its process id), so that tests can tell the workers apart."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.worker = [(b"x-backstride-worker", str(os.getpid()).encode())]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *SECURITY_HEADERS,
                    *self.worker,
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def preload() -> None:
    """Load the knowledge base, the plan data and the story reader once, before the first
    request, so that no person waits seconds for the language pipeline; and open the
    database (its driver, the engine, the schema check), so that the first requests on each
    worker do not pay for that either. Then what was loaded is frozen for the garbage
    collector."""
    from backstride.kb import default_knowledge_base
    from backstride.plan.exercises import load_exercise_library
    from backstride.plan.rules import load_rules
    from backstride.reader import read_story
    from backstride.recovery.workspace import StoreError, open_store

    default_knowledge_base()
    load_rules()
    load_exercise_library()
    read_story("sore low back after a long run, no numbness")
    with suppress(StoreError):  # not reachable now: requests answer 503 until it is
        open_store()
    # What was loaded lives as long as the process: kept out of the garbage collector's full
    # collections, which otherwise walked its ~200,000 objects about once per thousand
    # requests (a pause of about 0.2 s in the worker, measured under the web benchmark).
    gc.collect()
    gc.freeze()


def resume_imports() -> None:
    """Local mode, at start: run again the upload imports a stopped server left unfinished (in
    service mode the job workers do that)."""
    import logging

    from backstride.recovery.workspace import LOCAL_PERSON
    from backstride.web.background import resume_unfinished

    try:
        resume_unfinished(LOCAL_PERSON)
    except Exception as exc:  # the app still starts; the job page shows the job as it stands
        logging.getLogger("backstride.web").warning("unfinished imports not resumed: %s", exc)


def said_goodbye() -> None:
    """Local mode, at stop: say so if an import is still under way. After Ctrl+C the process
    waits for it, and a second Ctrl+C stops at once; stopped any other way (SIGTERM, a crash),
    the import carries on at the next start."""
    from backstride.web.background import pending

    if pending():
        import logging

        logging.getLogger("backstride.web").warning(
            "an import is under way: waiting for it to finish (Ctrl+C again stops now, and the "
            "import carries on when backstride serve starts again)"
        )


def _document_bearer(app: FastAPI) -> None:
    """Service mode's OpenAPI: every API route but sign-up and sign-in takes a bearer token
    (so that schemathesis and Swagger UI send one)."""
    from fastapi.openapi.utils import get_openapi

    def schema() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            doc.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer"}
            }
            open_paths = ("/api/v1/health", "/api/v1/auth/register", "/api/v1/auth/token")
            for path, operations in doc.get("paths", {}).items():
                if path in open_paths:
                    continue
                for operation in operations.values():
                    operation["security"] = [{"bearer": []}]
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = schema  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web app. ``settings`` default to local mode with the standard limits."""
    from backstride.web.api import router as api_router
    from backstride.web.limits import BodyLimit
    from backstride.web.pages.routes import router as pages_router

    settings = settings or Settings()
    if settings.mode == "service":
        from dataclasses import replace

        from backstride.service.checks import check_service_settings

        config = check_service_settings()  # refuses to start without what service mode needs
        settings = replace(settings, cookie_secure=config.cookie_secure)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.preload:
            preload()
        if settings.mode != "service":
            resume_imports()
        yield
        if settings.mode != "service":
            said_goodbye()

    app = FastAPI(
        title="backstride",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # served below from our own copy of Swagger UI, not a CDN
        redoc_url=None,
        lifespan=lifespan,
        # service mode: every change from a page must carry the anti-forgery token
        dependencies=[Depends(check_csrf)] if settings.mode == "service" else None,
    )
    app.state.settings = settings
    errors.install(app)
    app.include_router(api_router(service=settings.mode == "service"))
    app.include_router(pages_router)
    if settings.mode == "service":
        from backstride.web.pages.accounts import router as account_pages

        app.include_router(account_pages)
        _document_bearer(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The API documentation (Swagger UI, served from this app)."""
        return HTMLResponse(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<title>backstride API</title>"
            '<link rel="stylesheet" href="/static/vendor/swagger-ui.css"></head><body>'
            '<div id="swagger-ui"></div>'
            '<script src="/static/vendor/swagger-ui-bundle.js"></script>'
            '<script src="/static/docs.js"></script></body></html>'
        )

    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(BodyLimit, limits=settings.limits)
    app.add_middleware(SecurityHeaders)
    trusted = [h.strip() for h in settings.forwarded_allow_ips.split(",") if h.strip()]
    if trusted:
        # Outermost: the client's address and scheme as the trusted proxy names them, for
        # every part of the app (sign-in limits per address). uvicorn's own middleware, the
        # same `backstride serve` would use; it ignores the headers from any other peer.
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)
        if settings.forwarded_header == "forwarded":
            # Outside it: RFC 7239's Forwarded rewritten as the X-Forwarded-* it reads, and
            # the X-Forwarded-* the request brought dropped (backstride.web.proxy).
            from backstride.web.proxy import ForwardedHeader

            app.add_middleware(ForwardedHeader)
    return app
