"""JSON bodies read by the project's one input layer: UTF-8 (or a byte order mark), no key twice
in one object, no NaN or Infinity, at most 32 levels deep. FastAPI then validates the shape."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from backstride.inputs import decode, parse_json
from backstride.web.errors import ApiError


class StrictJSONRoute(APIRoute):
    """An API route whose JSON body is checked by ``backstride.inputs`` first."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, after the body passed the strict reading."""
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/json" or kind.endswith("+json"):
                body = await request.body()  # kept by the request: FastAPI reads it again
                if body:
                    try:
                        parse_json(decode(body, "the request body", hint=""), "the request body")
                    except Exception as exc:  # InputError: one line naming the problem
                        raise ApiError(400, "invalid_json", str(exc)) from None
            return await handler(request)

        return strict
