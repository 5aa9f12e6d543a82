"""Request size limits, enforced while the body arrives (a lying Content-Length cannot get past)."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException

from backstride.web.settings import Limits

Scope = dict[str, Any]
UPLOAD_PATHS = ("/api/v1/activities/upload", "/api/v1/import", "/progress/upload", "/data/import")


class TooLarge(HTTPException):
    """The body went over its limit (an HTTPException, so that body parsers pass it on)."""

    def __init__(self, limit: int, upload: bool) -> None:
        what = "an upload" if upload else "a request body"
        super().__init__(413, f"{what} may be at most {limit:,} bytes")
        self.code = "upload_too_large" if upload else "body_too_large"


def _reply(limit: int, upload: bool) -> tuple[bytes, int]:
    error = TooLarge(limit, upload)
    body = {"error": {"code": error.code, "message": error.detail}}
    return json.dumps(body).encode(), 413


class BodyLimit:
    """ASGI middleware: 413 with a JSON error when a body is larger than its limit."""

    def __init__(self, app: Any, limits: Limits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"] in UPLOAD_PATHS
        # multipart overhead on top of the files themselves
        limit = self.limits.upload_bytes + 64 * 1024 if upload else self.limits.body_bytes
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit, upload)
            return
        seen = 0
        started = False

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit, upload)
            return message

        async def watch(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except TooLarge:
            if not started:
                await self._refuse(send, limit, upload)

    async def _refuse(self, send: Any, limit: int, upload: bool) -> None:
        body, status = _reply(limit, upload)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
