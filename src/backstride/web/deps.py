"""Dependencies every route takes.

``current_person`` is the one place that says whose records a request reads and writes. In local
mode (one person on their own machine) it is always the local person; in service mode it is the
person of the signed-in account (bearer token or session cookie), and 401 without one. Every
query then goes through the store's person scoping, so another person's interview is simply
not found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from starlette.concurrency import run_in_threadpool

from backstride.recovery.workspace import LOCAL_PERSON


async def current_person(request: Request) -> str:
    """The key of the person this request acts for.

    Async, so that local mode answers at once: a sync dependency would cost every request a
    trip through the thread pool. Service mode looks the token up in the database, which
    blocks, so that lookup (and only that) goes to the thread pool."""
    if request.app.state.settings.mode != "service":
        return LOCAL_PERSON
    from backstride.web.auth import authenticate

    return (await run_in_threadpool(authenticate, request)).person_key


# A row's id in a path (a job, a clinician): the database's integer range, so an id beyond it
# is refused as invalid input (422) instead of failing in the database.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
