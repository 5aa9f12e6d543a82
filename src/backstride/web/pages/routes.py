"""The pages: start, what I understood, the questions, the result, the plan, today, progress and
my data. Plain forms and links: a form posts, and the reply is the next page (mostly a 303
redirect to it, so that a reload does not post again); every page works without JavaScript.
Only a page that follows a running job loads htmx, which asks for the job's state again every
second."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from backstride.errors import BackstrideError
from backstride.recovery import interviews, plans
from backstride.recovery.jobs import job_status
from backstride.web.auth import service
from backstride.web.deps import RowId, current_person
from backstride.web.errors import classify, one_line
from backstride.web.pages.render import page
from backstride.web.pages.views import EXAMPLE_STORY, LEVELS, plan_items, result_view

router = APIRouter(include_in_schema=False)
Person = Annotated[str, Depends(current_person)]
ANSWER_WORDS: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}


def go(url: str) -> RedirectResponse:
    """After a form post: see the next page (303, so a reload does not post again)."""
    return RedirectResponse(url, status_code=303)


async def form_data(request: Request) -> dict[str, Any]:
    """The posted form, each field once (the last value), lists for repeated fields."""
    form = await request.form()
    out: dict[str, Any] = {}
    for key in form:
        values = form.getlist(key)
        out[key] = values if len(values) > 1 else values[0]
    return out


# A route that takes the form this way is a plain `def`: FastAPI reads the form on the event loop
# and runs the route in its thread pool, so that the work (the story reader, the engine, the
# database, argon2) never holds the event loop and every other request on the worker waits.
Form = Annotated[dict[str, Any], Depends(form_data)]


async def uploaded_files(request: Request) -> list[tuple[str, bytes]]:
    """The files of an upload form (field ``files``), read on the event loop; at most one more
    than the limit, so that the route can say there were too many."""
    from backstride.web.api.recovery import upload_name

    form = await request.form(max_files=request.app.state.settings.limits.upload_files + 1)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    return [(upload_name(f), await f.read()) for f in files]


async def uploaded_file(request: Request) -> bytes | None:
    """The one file of a form (field ``file``), or None."""
    form = await request.form(max_files=2)
    upload = form.get("file")
    return await upload.read() if isinstance(upload, UploadFile) else None


def _kb() -> Any:
    from backstride.kb import default_knowledge_base

    return default_knowledge_base()


# --- start --------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def start_page(request: Request) -> HTMLResponse:
    """The safety notice in plain words and the story box."""
    return page(request, "start.html", example=EXAMPLE_STORY, error=None, story="")


@router.post("/interview", response_class=HTMLResponse)
def start_interview(request: Request, person: Person, form: Form) -> Response:
    """Read the story and show what was understood (or the first question)."""
    story = str(form.get("story", ""))
    try:
        state = interviews.start(story, person=person)
    except BackstrideError as exc:
        status, _, message = classify(exc)
        return page(
            request,
            "start.html",
            status=status,
            example=EXAMPLE_STORY,
            error=one_line(message),
            story=story[:2000],
        )
    if state.understood:
        return go(f"/interview/{state.id}/understood")
    return go(f"/interview/{state.id}")


# --- what I understood --------------------------------------------------------------------------


@router.get("/interview/{interview_id}/understood", response_class=HTMLResponse)
def understood_page(request: Request, interview_id: str, person: Person) -> HTMLResponse:
    """The findings read from the story, each removable or flippable."""
    state = interviews.current(interview_id, person=person)
    kb = _kb()
    items = [
        {
            "u": u,
            "phrase": kb.wording.phrase(u.id, u.present),
            "warning_sign": kb.finding(u.id).red_flag,
        }
        for u in state.understood
    ]
    return page(request, "understood.html", state=state, items=items)


@router.post("/interview/{interview_id}/understood", response_class=HTMLResponse)
def correct_story(interview_id: str, person: Person, form: Form) -> Response:
    """Flip or remove one finding read from the story."""
    finding = str(form.get("finding", ""))
    action = str(form.get("action", ""))
    if action == "flip":
        interviews.correct(interview_id, flip=[finding], person=person)
    elif action == "remove":
        interviews.correct(interview_id, remove=[finding], person=person)
    return go(f"/interview/{interview_id}/understood")


# --- the questions ------------------------------------------------------------------------------


@router.get("/interview/{interview_id}", response_class=HTMLResponse)
def question_page(request: Request, interview_id: str, person: Person) -> Response:
    """The current question, one at a time; the result once the interview is over."""
    state = interviews.current(interview_id, person=person)
    if state.done:
        return go(f"/interview/{interview_id}/result")
    return _question(request, state, None)


def _question(request: Request, state: Any, error: str | None, status: int = 200) -> HTMLResponse:
    from backstride.explain import plain

    return page(
        request,
        "question.html",
        status=status,
        state=state,
        q=state.question,
        why=plain(state.question.why, _kb()),
        error=error,
    )


@router.post("/interview/{interview_id}/answer", response_class=HTMLResponse)
def answer(interview_id: str, person: Person, form: Form) -> Response:
    """Record the answers to the current question and go on."""
    state = interviews.current(interview_id, person=person)
    if state.done:
        return go(f"/interview/{interview_id}/result")
    if form.get("question") != state.question_id:  # answered already (a second click)
        return go(f"/interview/{interview_id}")
    assert state.question is not None
    items = [i.finding for i in state.question.items]
    answers: dict[str, bool | None]
    if "answer" in form:  # a single question: Yes, No or I don't know
        answers = {items[0]: ANSWER_WORDS.get(str(form["answer"]))}
    elif form.get("none") == "1":
        answers = dict.fromkeys(items, False)
    else:  # the checklist: an item left open is "don't know"
        answers = {f: ANSWER_WORDS.get(str(form.get(f"item-{f}", "unknown"))) for f in items}
    try:
        state = interviews.answer(
            interview_id, answers, question_id=state.question_id, person=person
        )
    except interviews.Conflict:
        return go(f"/interview/{interview_id}")
    if state.done:
        return go(f"/interview/{interview_id}/result")
    return go(f"/interview/{interview_id}")


@router.post("/interview/{interview_id}/undo", response_class=HTMLResponse)
def undo(interview_id: str, person: Person) -> Response:
    """Take back the last answer: its question is asked again."""
    try:
        interviews.undo(interview_id, person=person)
    except interviews.Conflict:  # nothing to undo: back to what was understood
        return go(f"/interview/{interview_id}/understood")
    return go(f"/interview/{interview_id}")


# --- the result ---------------------------------------------------------------------------------


@router.get("/interview/{interview_id}/result", response_class=HTMLResponse)
def result_page(request: Request, interview_id: str, person: Person) -> Response:
    """The level first in plain words; an emergency shows nothing but what to do now."""
    from backstride.plan.equipment import KNOWN_EQUIPMENT
    from backstride.recovery.profile import get_profile

    done = interviews.result(interview_id, person=person, need_assessment=True)
    if not done.state.done:
        return go(f"/interview/{interview_id}")
    assert done.assessment is not None
    view = result_view(done.assessment, _kb())
    profile = get_profile(person=person)
    return page(
        request,
        "result.html",
        state=done.state,
        r=view,
        equipment=[e for e in KNOWN_EQUIPMENT if e != "mat"],
        profile=profile,
    )


@router.post("/interview/{interview_id}/follow", response_class=HTMLResponse)
def follow(interview_id: str, person: Person, form: Form) -> Response:
    """Follow the interview's plan with the chosen days, equipment and athlete type."""
    kit = form.get("equipment") or []
    kit = kit if isinstance(kit, list) else [kit]
    athlete = form.get("athlete") or None
    try:
        days = int(str(form.get("days", "3")))
    except ValueError:
        days = 0  # refused by plans.settings with a message
    chosen = plans.settings(days, [str(k) for k in kit] or None, athlete)
    plans.follow(interview_id, chosen, key=person)
    return go("/plan")


# --- the plan -----------------------------------------------------------------------------------


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, person: Person) -> Response:
    """Phases as steps, the current one open; every exercise with figure, dose, cues and why."""
    try:
        now = plans.followed(key=person)
    except plans.NoPlan:
        return page(request, "no_plan.html", status=404)
    return page(
        request,
        "plan.html",
        pdf_job=service(request),
        plan=now.plan,
        standing=now.status,
        level=LEVELS[now.plan.triage],
        **plan_items(now.plan),
    )


@router.get("/plan/print", response_class=HTMLResponse)
def plan_print(person: Person) -> Response:
    """The printable plan: the same standalone page as `backstride plan --html`."""
    from backstride.plan.exercises import load_exercise_library
    from backstride.plan.export.html import render_html

    try:
        now = plans.followed(key=person)
    except plans.NoPlan:
        return go("/plan")
    return HTMLResponse(render_html(now.plan, load_exercise_library()))


@router.get("/figures/{exercise_id}.svg")
def figure(exercise_id: str) -> Response:
    """An exercise's figure, moving from the start position to the end and back."""
    from backstride.plan.exercises import load_exercise_library
    from backstride.plan.figures import render_animated_svg

    exercise = load_exercise_library().exercises.get(exercise_id)
    if exercise is None:
        return Response("no such exercise", status_code=404, media_type="text/plain")
    return Response(
        render_animated_svg(exercise),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


# --- today --------------------------------------------------------------------------------------


def _today(
    request: Request, person: str, outcome: Any = None, error: str | None = None
) -> HTMLResponse:
    from backstride.recovery.checkins import psfs_activities, red_flag_questions
    from backstride.recovery.progress import checks_to_leave, refresh
    from backstride.recovery.today import WEEKDAY_NAMES, today_plan

    standing = refresh(person=person)
    t = today_plan(standing, person=person) if standing else None
    if t is None or standing is None:
        return page(request, "no_plan.html", status=404)
    return page(
        request,
        "today.html",
        status=422 if error else 200,
        t=t,
        weekday=WEEKDAY_NAMES[t.day.weekday()],
        psfs=psfs_activities(person=person),
        signs=red_flag_questions(),
        checks=checks_to_leave(standing),
        outcome=outcome,
        error=error,
        levels=LEVELS,
    )


@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request, person: Person) -> Response:
    """Today's exercises and run, and the check-in form."""
    return _today(request, person)


def _score(form: dict[str, Any], name: str) -> int | None:
    value = str(form.get(name, "")).strip()
    if form.get(f"{name}-skip") or not value:
        return None
    try:
        return int(value)
    except ValueError:
        return -1  # refused by make_checkin with a message naming the field


@router.post("/today/checkin", response_class=HTMLResponse)
def checkin(request: Request, person: Person, form: Form) -> Response:
    """Save the check-in; a new warning sign runs the triage again and says so first."""
    from backstride.web.api.recovery import save_checkin

    done = form.get("done") or []
    signs = form.get("sign") or []
    met = form.get("met") or []
    psfs: dict[str, int] = {}
    for n in range(3):
        name = str(form.get(f"psfs-name-{n}", "")).strip()
        score = _score(form, f"psfs-score-{n}")
        if name and score is not None:
            psfs[name] = score
    values = {
        "pain_now": _score(form, "pain_now"),
        "pain_activity": _score(form, "pain_activity"),
        "pain_morning": _score(form, "pain_morning"),
        "psfs": psfs,
        "done": done if isinstance(done, list) else [done],
        "notes": str(form.get("notes", ""))[:5000],
        "signs": {s: True for s in (signs if isinstance(signs, list) else [signs])},
        "met": met if isinstance(met, list) else [met],
    }
    try:
        outcome = save_checkin(values, person)
    except BackstrideError as exc:
        return _today(request, person, error=one_line(classify(exc)[2]))
    return _today(request, person, outcome=outcome)


# --- progress -----------------------------------------------------------------------------------


def _progress(
    request: Request,
    person: str,
    upload: Any = None,
    error: str | None = None,
    job: Any = None,
) -> HTMLResponse:
    from backstride.recovery.progress import report

    r = report(person=person)
    if r is None:
        return page(request, "no_plan.html", status=404)
    last = next(
        (m for m in reversed(r.status.moves) if m.week_start and m.decision != "start"), None
    )
    return page(
        request,
        "progress.html",
        status=422 if error else 200,
        r=r,
        last=last,
        upload=upload,
        job=job,
        error=error,
        weeks=r.load.weeks[-12:],
    )


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, person: Person) -> Response:
    """The chart, the weekly decision with its reasons, and the drop zone for watch files."""
    return _progress(request, person)


@router.post("/progress/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    person: Person,
    uploads: Annotated[list[tuple[str, bytes]], Depends(uploaded_files)],
) -> Response:
    """Import the dropped watch files; each file's result is shown. A zip or many files become
    a job (a job worker's in service mode, this process's import thread in local mode), and the
    page follows its progress bar."""
    from backstride.web.api.recovery import import_uploads

    try:
        result = import_uploads(uploads, person, request)
    except BackstrideError as exc:
        return _progress(request, person, error=one_line(classify(exc)[2]))
    except Exception as exc:  # ApiError: too many files
        status, _, message = classify(exc)
        if status >= 500:
            raise
        return _progress(request, person, error=one_line(message))
    if "job" in result:  # imported in the background: the page follows the job
        return _progress(request, person, job=job_status(result["job"], key=person))
    return _progress(request, person, upload=result)


# --- background jobs ----------------------------------------------------------------------------


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, person: Person, job_id: RowId) -> Response:
    """A job's progress: the fragment htmx polls (HX-Request), or a whole page without
    JavaScript. Someone else's job is not found."""
    from backstride.web.pages.render import error_page

    found = job_status(job_id, key=person)
    if found is None:
        return error_page(request, 404, f"No job {job_id}.")
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return page(request, "_job.html", job=found)
    return page(request, "job.html", job=found)


@router.post("/plan/pdf", response_class=HTMLResponse)
def plan_pdf_job(request: Request, person: Person) -> Response:
    """Service mode: a job worker makes the PDF of the plan; the page follows the job."""
    from backstride.web.api.jobs import defer

    try:
        plans.followed(key=person)
    except plans.NoPlan:
        return page(request, "no_plan.html", status=404)
    return go(f"/jobs/{defer('plan_pdf', {}, person)}")


# --- my data ------------------------------------------------------------------------------------


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request) -> HTMLResponse:
    """Export, import and forget, with a confirmation."""
    return page(request, "data.html", message=None, error=None)


@router.post("/data/import", response_class=HTMLResponse)
def data_import(
    request: Request, person: Person, raw: Annotated[bytes | None, Depends(uploaded_file)]
) -> Response:
    """Read an export file back into an empty record."""
    from backstride.inputs import decode, parse_json
    from backstride.recovery.exchange import import_document

    try:
        if raw is None:
            raise BackstrideError("choose an export file (backstride-….json) to import")
        doc = parse_json(decode(raw, "the export file", hint=""), "the export file")
        counts = import_document(doc, "the export file", person=person)
    except BackstrideError as exc:
        return page(request, "data.html", status=422, message=None, error=one_line(str(exc)))
    said = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
    return page(request, "data.html", message=f"Imported: {said}.", error=None)


@router.post("/data/forget", response_class=HTMLResponse)
def data_forget(request: Request, person: Person, form: Form) -> Response:
    """Delete everything, once the person typed 'forget'."""
    from backstride.recovery.exchange import forget_everything

    if str(form.get("confirm", "")).strip().lower() != "forget":
        return page(
            request,
            "data.html",
            status=422,
            message=None,
            error="Nothing was deleted: type the word forget in the box to confirm.",
        )
    counts = forget_everything(person=person)
    interviews.forget_cached()
    said = f"Deleted {sum(counts.values())} records. Nothing is left."
    return page(request, "data.html", message=said, error=None)
