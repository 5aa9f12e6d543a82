"""The JSON API, versioned under /api/v1 (shared/contract/api.md for the interview and plan)."""

from __future__ import annotations

from fastapi import APIRouter

from backstride.web.api import interviews, jobs, recovery


def router(*, service: bool = False) -> APIRouter:
    """Every API route; in service mode, the accounts, sharing and clinician routes too."""
    api = APIRouter(prefix="/api/v1")
    api.include_router(interviews.router)
    api.include_router(recovery.router)
    api.include_router(jobs.router)
    if service:
        from backstride.web.api import accounts

        api.include_router(accounts.router)
    return api
