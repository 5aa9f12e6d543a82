"""The JSON API, versioned under /api/v1 (shared/contract/api.md for the interview and plan)."""

from __future__ import annotations

from fastapi import APIRouter

from backstride.web.api import interviews, recovery


def router() -> APIRouter:
    """Every API route."""
    api = APIRouter(prefix="/api/v1")
    api.include_router(interviews.router)
    api.include_router(recovery.router)
    return api
