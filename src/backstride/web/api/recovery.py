"""Following the recovery: profile, the plan followed, today, check-ins, activities (with watch
file upload), progress and its chart, and the person's data (export, import, forget)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from backstride.errors import BackstrideError
from backstride.recovery import plans
from backstride.web.api.interviews import EXPORTS, Start, export_response
from backstride.web.api.jobs import (
    JobAccepted,
    accepted,
    defer,
    deferring,
    run_inline,
    status_url,
)
from backstride.web.api.strict import StrictJSONRoute
from backstride.web.deps import current_person
from backstride.web.errors import ERRORS, ApiError

router = APIRouter(route_class=StrictJSONRoute)
Person = Annotated[str, Depends(current_person)]
Score = Annotated[int | None, Field(ge=0, le=10)]
Activity = Annotated[str, Field(min_length=1, max_length=80)]

# --- health: the trivial endpoint the benchmarks measure against ---------------------------------


class HealthOut(BaseModel):
    """The app is up."""

    status: Literal["ok"]


@router.get("/health", tags=["meta"], response_model=HealthOut, summary="The app is up")
def health() -> dict[str, str]:
    """A trivial answer (the benchmarks' baseline)."""
    return {"status": "ok"}


# --- profile ------------------------------------------------------------------------------------

API_NAMES = {k: k for k in ("age_band", "sex", "athlete", "days_per_week", "equipment")}
API_NAMES["psfs_activities"] = "psfs_activities"


class ProfileIn(BaseModel):
    """Any part of the profile; a field left out is left as it is."""

    model_config = ConfigDict(extra="forbid")
    age_band: str | None = None
    sex: str | None = None
    athlete: str | None = None
    days_per_week: int | None = None
    equipment: list[str] | None = Field(None, max_length=20)
    psfs_activities: list[Activity] | None = None


class ProfileOut(BaseModel):
    """The profile."""

    age_band: str | None
    sex: str | None
    athlete: str | None
    days_per_week: int | None
    equipment: list[str]
    psfs_activities: list[str]


@router.get("/profile", tags=["profile"], response_model=ProfileOut, responses=ERRORS)
def get_profile(person: Person) -> dict[str, Any]:
    """The person's profile."""
    from backstride.recovery.profile import get_profile

    return get_profile(person=person)


@router.patch("/profile", tags=["profile"], response_model=ProfileOut, responses=ERRORS)
def update_profile(body: ProfileIn, person: Person) -> dict[str, Any]:
    """Set any part of the profile."""
    from backstride.recovery.profile import check_profile, update_profile

    changes = check_profile(body.model_dump(), API_NAMES)
    return update_profile(person=person, **changes)


# --- the plan followed --------------------------------------------------------------------------


class FollowIn(BaseModel):
    """Follow the plan of a finished interview, with these settings."""

    interview: str = Field(max_length=64)
    days_per_week: int = Field(3, ge=1, le=7)
    equipment: list[str] = Field(default_factory=list, max_length=20)
    athlete: Literal["runner", "triathlete"] | None = None


class FollowedOut(BaseModel):
    """The plan followed, and where it stands."""

    plan: dict[str, Any]
    status: dict[str, Any]


def followed_json(key: str) -> dict[str, Any]:
    """The plan followed and its status."""
    now = plans.followed(key=key)
    s = now.status
    return {
        "plan": now.plan.to_json(),
        "status": {
            "phase": s.rung.phase,
            "step": s.rung.step,
            "label": s.rung.label,
            "note": s.note,
        },
    }


@router.post(
    "/plan",
    status_code=201,
    tags=["plan"],
    responses={201: {"model": FollowedOut}, **ERRORS},
    summary="Follow an interview's plan",
)
def follow_plan(body: FollowIn, person: Person) -> JSONResponse:
    """Make the interview's plan the one followed: today, check-ins and progress use it."""
    chosen = plans.settings(body.days_per_week, body.equipment or None, body.athlete)
    plans.follow(body.interview, chosen, key=person)
    return JSONResponse(followed_json(person), status_code=201)


@router.get(
    "/plan",
    tags=["plan"],
    responses={200: {"model": FollowedOut}, **ERRORS},
    summary="The plan followed",
)
def get_followed(person: Person) -> dict[str, Any]:
    """The plan being followed, and its current phase."""
    return followed_json(person)


def _made_pdf(person: str) -> Response:
    """Service mode: the PDF a job made from the plan followed now; 409 saying how to ask for
    one when there is none (a GET never queues work)."""
    from backstride.recovery.jobs import current_plan_pdf, job_output

    job_id = current_plan_pdf(key=person)
    data = None if job_id is None else job_output(job_id, key=person)
    if data is None:
        raise ApiError(
            409,
            "pdf_not_made",
            "in service mode a job makes the PDF: POST /api/v1/plan.pdf/jobs, follow the "
            "status_url it answers, then GET this URL (or the job's output_url) again",
        )
    return Response(
        data,
        media_type=EXPORTS["pdf"],
        headers={"Content-Disposition": 'attachment; filename="backstride-plan.pdf"'},
    )


def _followed_export(fmt: str) -> None:
    def export(request: Request, person: Person, start: Start = None) -> Response:
        followed = plans.followed(key=person)  # no plan: 404
        if fmt == "pdf" and deferring(request):
            return _made_pdf(person)
        return export_response(followed.plan, fmt, start)

    export.__doc__ = f"The plan followed, as {fmt.upper()}." + (
        " In service mode a job worker makes the PDF (`POST /api/v1/plan.pdf/jobs`): this"
        " answers the PDF made from the plan followed now, or 409 when none is made yet."
        if fmt == "pdf"
        else ""
    )
    router.add_api_route(
        f"/plan.{fmt}",
        export,
        methods=["GET"],
        tags=["plan"],
        summary=f"The plan followed as {fmt.upper()}",
        name=f"followed_plan_{fmt}",
        response_class=Response,
        responses={200: {"content": {EXPORTS[fmt].split(";")[0]: {}}}, **ERRORS},
    )


for _fmt in EXPORTS:
    _followed_export(_fmt)


@router.post(
    "/plan.pdf/jobs",
    tags=["plan", "jobs"],
    status_code=202,
    responses={202: {"model": JobAccepted}, 201: {"model": JobAccepted}, **ERRORS},
    summary="Make the PDF of the plan followed, as a job",
)
def make_plan_pdf(request: Request, person: Person) -> JSONResponse:
    """In service mode the job is queued for `backstride worker`: 202 with its status URL; the
    PDF is its output, and `GET /api/v1/plan.pdf` serves it once made. In local mode the same
    job runs during the request: 201, already done."""
    plans.followed(key=person)  # no plan: 404 now, not a failed job later
    if deferring(request):
        return accepted(defer("plan_pdf", {}, person), "plan_pdf")
    done = run_inline("plan_pdf", {}, person)
    body = {
        "job": done.id,
        "kind": done.kind,
        "status": done.status,
        "status_url": status_url(done.id),
    }
    return JSONResponse(body, status_code=201, headers={"Location": status_url(done.id)})


@router.get("/today", tags=["recovery"], responses=ERRORS, summary="Today's session")
def get_today(person: Person) -> dict[str, Any]:
    """Today's exercises, and the run with its dose on run days."""
    from backstride.recovery.today import today_json, today_plan

    t = today_plan(person=person)
    if t is None:
        raise ApiError(404, "no_plan", "no plan yet: finish an interview and follow its plan")
    return today_json(t)


# --- check-ins ----------------------------------------------------------------------------------


class CheckInIn(BaseModel):
    """How the day went. At least one value."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date | None = Field(None, description="Default: today.")
    pain_now: Score = None
    pain_activity: Score = Field(None, description="Pain during activity, 0-10.")
    pain_morning: Score = Field(None, description="Pain this morning, 0-10.")
    stiffness_min: int | None = Field(None, ge=0, le=1440)
    psfs: dict[Activity, Annotated[int, Field(ge=0, le=10)]] = Field(
        default_factory=dict, description="Up to three activities, each scored 0-10."
    )
    done: list[str] = Field(default_factory=list, max_length=100)
    notes: str = Field("", max_length=5000)
    signs: dict[str, StrictBool] = Field(
        default_factory=dict, description="Answers to warning-sign questions."
    )
    met: list[str] = Field(default_factory=list, max_length=50)


class CheckInOut(BaseModel):
    """The check-in saved, and the triage run again if a warning sign was new."""

    checkin: dict[str, Any]
    retriage: dict[str, Any] | None
    psfs_activities: list[str]


def checkin_json(c: Any) -> dict[str, Any]:
    """A check-in as JSON."""
    return {
        "date": c.day.isoformat(),
        "pain_now": c.pain_now,
        "pain_activity": c.pain_activity,
        "pain_morning": c.pain_morning,
        "stiffness_min": c.stiffness_min,
        "psfs": dict(c.psfs),
        "done": list(c.done),
        "notes": c.notes,
        "signs": dict(c.signs),
        "met": list(c.passed),
    }


def save_checkin(values: dict[str, Any], person: str) -> dict[str, Any]:
    """Validate and save a check-in (the page's form and the API); the outcome as JSON."""
    from backstride.recovery.checkins import log_checkin, make_checkin

    checkin = make_checkin(
        day=values.get("date"),
        pain_now=values.get("pain_now"),
        pain_activity=values.get("pain_activity"),
        pain_morning=values.get("pain_morning"),
        stiffness_min=values.get("stiffness_min"),
        psfs=values.get("psfs") or None,
        done=values.get("done") or None,
        notes=values.get("notes") or "",
        signs=values.get("signs") or None,
        met=values.get("met") or None,
    )
    outcome = log_checkin(checkin, person=person)
    r = outcome.retriage
    return {
        "checkin": checkin_json(outcome.checkin),
        "retriage": None
        if r is None
        else {
            "previous": r.previous,
            "level": r.level,
            "reasons": list(r.reasons),
            "new_signs": list(r.new_signs),
            "suspended": r.suspended,
        },
        "psfs_activities": list(outcome.psfs_activities),
    }


@router.post(
    "/checkins",
    status_code=201,
    tags=["recovery"],
    responses={201: {"model": CheckInOut}, **ERRORS},
    summary="Log a check-in",
)
def post_checkin(body: CheckInIn, person: Person) -> JSONResponse:
    """Save how the day went; a new warning sign runs the triage again."""
    return JSONResponse(save_checkin(body.model_dump(), person), status_code=201)


@router.get("/checkins", tags=["recovery"], responses=ERRORS, summary="Every check-in")
def get_checkins(person: Person) -> dict[str, Any]:
    """Every check-in, oldest first."""
    from backstride.recovery.progress import report

    r = report(person=person)
    return {"checkins": [checkin_json(c) for c in (r.checkins if r else ())]}


# --- activities ---------------------------------------------------------------------------------


class ActivityIn(BaseModel):
    """A run, ride, swim or walk entered by hand."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date
    start_time: dt.time = dt.time(7, 0)
    duration_min: float = Field(gt=0, le=24 * 60)
    distance_km: float | None = Field(None, gt=0, le=1000)
    sport: Literal["run", "ride", "swim", "walk", "other"] = "run"
    terrain: str | None = None
    surface: str | None = Field(None, max_length=32)
    pain_during: Score = None
    rpe: Score = None


class FileOut(BaseModel):
    """What happened to one uploaded file."""

    name: str
    added: int
    duplicates: int
    problem: str | None


class UploadOut(BaseModel):
    """Per-file results and totals."""

    files: list[FileOut]
    imported: int
    duplicates: int
    failed: int


@router.post(
    "/activities",
    status_code=201,
    tags=["activities"],
    responses=ERRORS,
    summary="Add an activity by hand",
)
def post_activity(body: ActivityIn, person: Person) -> JSONResponse:
    """Save a hand-entered activity (a duplicate is skipped)."""
    from backstride.recovery.activities import add_activity, manual_activity

    activity = manual_activity(
        day=body.date,
        start_time=body.start_time,
        duration_s=body.duration_min * 60.0,
        distance_km=body.distance_km,
        sport=body.sport,
        terrain=body.terrain,
        surface=body.surface,
        pain_during=body.pain_during,
        rpe=body.rpe,
    )
    return JSONResponse({"added": add_activity(activity, person=person)}, status_code=201)


@router.get("/activities", tags=["activities"], responses=ERRORS, summary="Every activity")
def get_activities(person: Person) -> dict[str, Any]:
    """Every activity, oldest first."""
    from backstride.recovery.progress import report

    r = report(person=person)
    return {
        "activities": [
            {
                "sport": a.sport,
                "start": a.start.isoformat(),
                "duration_s": a.duration_s,
                "distance_m": a.distance_m,
                "pain_during": a.pain_during,
                "rpe": a.rpe,
                "source": a.source,
            }
            for a in (r.activities if r else ())
        ]
    }


def import_uploads(
    uploads: list[tuple[str, bytes]], person: str, request: Request
) -> dict[str, Any]:
    """Import uploaded watch files and zips: each file's result, and the totals. A large upload
    (a zip, or more files than ``BACKSTRIDE_UPLOAD_JOB_FILES``) becomes a job instead, and the
    answer is ``{"job": id}``: in service mode a job worker runs it, in local mode this
    process's import thread (``backstride.web.background``), so that no request waits for it."""
    from backstride.recovery.jobs import save_upload
    from backstride.settings import settings

    limits = request.app.state.settings.limits
    if len(uploads) > limits.upload_files:
        raise ApiError(
            422,
            "too_many_files",
            f"{len(uploads)} files in one upload: at most {limits.upload_files}",
        )
    large = len(uploads) > settings().upload_job_files or any(
        name.lower().endswith(".zip") for name, _ in uploads
    )
    if large and deferring(request):
        return {"job": defer("import", save_upload(uploads), person)}
    if large:
        from backstride.web.background import import_in_background

        return {"job": import_in_background(save_upload(uploads), person)}
    # The rest is imported now, by the same job function a worker runs (one way to import).
    done = run_inline("import", save_upload(uploads), person)
    if done.status != "done" or done.result is None:
        raise BackstrideError(done.error or "the import did not finish")
    return {
        "files": done.result["results"],
        "imported": done.result["imported"],
        "duplicates": done.result["duplicates"],
        "failed": len(done.result["failed"]),
    }


def upload_name(upload: Any) -> str:
    """The uploaded file's own name, without any folder a browser sent."""
    name = (upload.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:200] or "upload"


@router.post(
    "/activities/upload",
    tags=["activities"],
    responses={200: {"model": UploadOut}, 202: {"model": JobAccepted}, **ERRORS},
    summary="Upload watch files (FIT, GPX, TCX, or a zip of them)",
)
def upload_activities(
    request: Request, person: Person, files: Annotated[list[UploadFile], File()]
) -> Any:
    """Import each file; a bad file is reported with its reason and the rest go on. A zip, or
    more files than `BACKSTRIDE_UPLOAD_JOB_FILES`, becomes a job in either mode: 202 with its
    status URL, where the per-file results are once it is done."""
    uploads = [(upload_name(f), f.file.read()) for f in files]
    result = import_uploads(uploads, person, request)
    if "job" in result:
        return accepted(result["job"], "import")
    return result


# --- progress -----------------------------------------------------------------------------------


@router.get("/progress", tags=["recovery"], responses=ERRORS, summary="Where the plan stands")
def get_progress(person: Person) -> dict[str, Any]:
    """The phase, this week's decision and why, load figures and the PSFS trend."""
    from backstride.recovery.progress import report, report_json

    r = report(person=person)
    if r is None:
        raise ApiError(404, "no_plan", "no plan yet: finish an interview and follow its plan")
    return report_json(r)


@router.get(
    "/progress/chart.svg",
    tags=["recovery"],
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **ERRORS},
    summary="The progress chart",
)
def get_chart(person: Person) -> Response:
    """Pain during activity and the next morning over weekly running load, as SVG."""
    from backstride.recovery.chart import render_chart
    from backstride.recovery.progress import report

    r = report(person=person)
    if r is None:
        raise ApiError(404, "no_plan", "no plan yet: finish an interview and follow its plan")
    return Response(render_chart(r, "svg"), media_type="image/svg+xml")


# --- my data ------------------------------------------------------------------------------------


class ForgetIn(BaseModel):
    """Type 'forget' to confirm."""

    confirm: str


@router.get("/export", tags=["data"], responses=ERRORS, summary="Everything, as one document")
def export_data(person: Person) -> JSONResponse:
    """Every record, one versioned JSON document (the same as `backstride export`)."""
    from backstride.recovery.exchange import export_document

    stamp = dt.date.today().isoformat()
    return JSONResponse(
        export_document(person=person),
        headers={"Content-Disposition": f'attachment; filename="backstride-{stamp}.json"'},
    )


@router.post("/import", tags=["data"], responses=ERRORS, summary="Read an export back")
def import_data(doc: dict[str, Any], person: Person) -> dict[str, Any]:
    """Load an export into an empty record (as `backstride import-data`)."""
    from backstride.recovery.exchange import import_document

    return {"imported": import_document(doc, "the export", person=person)}


@router.post("/forget", tags=["data"], responses=ERRORS, summary="Delete everything")
def forget(body: ForgetIn, person: Person) -> dict[str, Any]:
    """Delete every record of the person: send {"confirm": "forget"}."""
    from backstride.recovery.exchange import forget_everything
    from backstride.recovery.interviews import forget_cached

    if body.confirm != "forget":
        raise ApiError(422, "not_confirmed", 'send {"confirm": "forget"} to delete everything')
    deleted = forget_everything(person=person)
    forget_cached()
    return {"deleted": deleted}
