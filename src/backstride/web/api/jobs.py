"""Background jobs over the API: a large upload is answered 202 with the job's status URL (in
service mode the job is deferred to `backstride worker`, ``backstride.service.queue``; in local
mode this process's import thread runs it, ``backstride.web.background``), and so is the plan
PDF in service mode; the owner reads the job's progress, per-file results and output here.
Someone else's job is 404, as a job that does not exist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from backstride.recovery.jobs import JobStatus, job_output, job_status
from backstride.web.api.strict import StrictJSONRoute
from backstride.web.deps import RowId, current_person
from backstride.web.errors import ERRORS, ApiError

router = APIRouter(route_class=StrictJSONRoute)
Person = Annotated[str, Depends(current_person)]


class JobAccepted(BaseModel):
    """The work was queued as a job: follow ``status_url`` until it is done."""

    job: int
    kind: str
    status: str
    status_url: str


class JobOut(BaseModel):
    """A job's status; ``result`` once it is done (an upload's per-file results in
    ``result.results``), ``output_url`` when it made a file (the PDF)."""

    id: int
    kind: str
    status: str
    done: int
    total: int | None
    note: str
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    queued: bool
    has_output: bool
    created_at: str
    updated_at: str
    output_url: str | None


def status_url(job_id: int) -> str:
    """Where a job's status is read."""
    return f"/api/v1/jobs/{job_id}"


def accepted(job_id: int, kind: str) -> JSONResponse:
    """The 202 answer for work deferred as a job."""
    body = {"job": job_id, "kind": kind, "status": "queued", "status_url": status_url(job_id)}
    return JSONResponse(body, status_code=202, headers={"Location": status_url(job_id)})


def defer(kind: str, args: dict[str, Any], person: str) -> int:
    """Queue a job of the person for `backstride worker`; its id."""
    from backstride.service.queue import enqueue

    return enqueue(kind, args, key=person)


def run_inline(kind: str, args: dict[str, Any], person: str) -> JobStatus:
    """Run a job of the person here and now, with the same job function a `backstride worker`
    runs (a small upload in any mode; the plan PDF in local mode): the request waits for it."""
    from backstride.recovery.jobs import create_job, run_job

    return run_job(create_job(kind, args, key=person))


def deferring(request: Request) -> bool:
    """Whether this app defers large work to job workers (service mode only; in local mode the
    same job function runs in this process)."""
    return bool(request.app.state.settings.mode == "service")


def job_json(status: JobStatus) -> dict[str, Any]:
    """A job's status as the API shows it."""
    return {
        **status.to_json(),
        "output_url": f"{status_url(status.id)}/output" if status.has_output else None,
    }


def owned_job(job_id: int, person: str) -> JobStatus:
    """The person's job; 404 for anyone else's (or none)."""
    status = job_status(job_id, key=person)
    if status is None:
        raise ApiError(404, "no_job", f"no job {job_id}")
    return status


@router.get(
    "/jobs/{job_id}",
    tags=["jobs"],
    response_model=JobOut,
    responses=ERRORS,
    summary="A job's progress and result",
)
def get_job(job_id: RowId, person: Person) -> dict[str, Any]:
    """Status (queued, running, done, failed), files done of total, and the result once done."""
    return job_json(owned_job(job_id, person))


@router.get(
    "/jobs/{job_id}/output",
    tags=["jobs"],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **ERRORS},
    summary="The file a job made (the plan PDF)",
)
def get_job_output(job_id: RowId, person: Person) -> Response:
    """The PDF, once the job is done; 409 while it is not."""
    status = owned_job(job_id, person)
    data = job_output(job_id, key=person)
    if data is None:
        raise ApiError(409, "not_ready", f"job {job_id} is {status.status}: it made no file yet")
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="backstride-plan.pdf"'},
    )
