"""Interview and plan routes: exactly the shapes of shared/contract/api.md, plus extra keys."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from starlette.concurrency import run_in_threadpool

from backstride.recovery import interviews, plans
from backstride.recovery.interviews import InterviewState
from backstride.web.api.strict import StrictJSONRoute
from backstride.web.deps import current_person
from backstride.web.errors import ERRORS, ApiError

if TYPE_CHECKING:
    from backstride.plan.model import Plan

router = APIRouter(tags=["interview"], route_class=StrictJSONRoute)
Person = Annotated[str, Depends(current_person)]

# --- request and response shapes ----------------------------------------------------------------


class StartIn(BaseModel):
    """A new interview: the story in the person's own words (it may be empty)."""

    story: str = Field("", description="At most 100,000 characters.")


class AnswersIn(BaseModel):
    """Answers to every item of the current question: true, false, or null for don't know."""

    answers: dict[str, StrictBool | None]
    question: str | None = Field(
        None, description="The id of the question answered; a stale one gets 409."
    )


class CorrectionsIn(BaseModel):
    """Corrections to what was read from the story, before the first answer."""

    remove: list[str] = Field(default_factory=list, max_length=500)
    flip: list[str] = Field(default_factory=list, max_length=500)


class SelfTestOut(BaseModel):
    """A safe way to check an answer yourself."""

    steps: list[str]
    stop_if: str


class ItemOut(BaseModel):
    """One yes/no item of a question."""

    finding: str
    text: str
    help: str
    from_story: bool = Field(description="Read from the story: shown ticked, to confirm.")
    story_words: str | None
    warning_sign: bool
    self_test: SelfTestOut | None


class QuestionOut(BaseModel):
    """The question to answer now."""

    id: str
    kind: Literal["checklist", "single"]
    prompt: str
    why: str
    number: int
    stage: Literal["warning_signs", "questions"]
    ask_each: bool
    items: list[ItemOut]


class UnderstoodOut(BaseModel):
    """A finding read from the story."""

    model_config = ConfigDict(extra="allow")
    id: str
    present: bool
    text: str
    uncertain: bool
    corrected: bool
    question: str
    phrase: str
    warning_sign: bool


class InterviewOut(BaseModel):
    """An interview: what was understood, the next question (null when done)."""

    id: str
    understood: list[UnderstoodOut]
    question: QuestionOut | None
    done: bool
    questions_asked: int
    can_undo: bool
    started: bool
    links: dict[str, str]


class ResultOut(BaseModel):
    """What `backstride check --json` prints (contract: shared/contract/cli.md)."""

    model_config = ConfigDict(extra="allow")
    triage: dict[str, Any]
    conditions: list[dict[str, Any]]
    contributing_factors: list[str]
    findings: dict[str, bool]
    questions_asked: int
    summary: dict[str, Any]


class PlanOut(BaseModel):
    """What `backstride plan --json` prints (contract: shared/contract/cli.md)."""

    model_config = ConfigDict(extra="allow")
    triage: str
    phases: list[dict[str, Any]]


# --- the interview's JSON -----------------------------------------------------------------------


def interview_json(state: InterviewState) -> dict[str, Any]:
    """The interview in the contract's shape (extra keys for the pages and scripts)."""
    from backstride.explain import plain
    from backstride.kb import default_knowledge_base

    kb = default_knowledge_base()
    base = f"/api/v1/interviews/{state.id}"
    question = None
    if state.question is not None:
        q = state.question
        question = {
            "id": state.question_id,
            "kind": "checklist" if q.kind == "screening" else "single",
            "prompt": q.prompt,
            "why": plain(q.why, kb),
            "number": state.questions_asked + 1,
            "stage": "warning_signs" if q.kind == "screening" else "questions",
            "ask_each": q.ask_each,
            "items": [
                {
                    "finding": i.finding,
                    "text": i.text,
                    "help": i.help,
                    "from_story": i.from_story,
                    "story_words": state.story_words(i.finding) if i.from_story else None,
                    "warning_sign": kb.finding(i.finding).red_flag,
                    "self_test": None
                    if i.self_test is None
                    else {"steps": list(i.self_test.steps), "stop_if": i.self_test.stop_if},
                }
                for i in q.items
            ],
        }
    return {
        "id": state.id,
        "understood": [
            {
                **u.to_json(),
                "question": kb.finding(u.id).question,
                "phrase": kb.wording.phrase(u.id, u.present),
                "warning_sign": kb.finding(u.id).red_flag,
            }
            for u in state.understood
        ],
        "question": question,
        "done": state.done,
        "questions_asked": state.questions_asked,
        "can_undo": state.can_undo,
        "started": state.started,
        "links": {
            "self": base,
            "answers": f"{base}/answers",
            "undo": f"{base}/undo",
            "result": f"{base}/result",
            "plan": f"{base}/plan",
        },
    }


# --- the routes ---------------------------------------------------------------------------------
# The interview routes are on the path of every question, so each costs the worker one trip
# through the thread pool: they are async, hand the library call (database and engine, which
# block) to the pool themselves, and return their JSON as it is. A plain `def` route returning
# a dict would make three trips (the person, the call, checking the returned dict) and then
# re-encode the dict; the shapes are still documented by the models above.


@router.post(
    "/interviews",
    status_code=201,
    responses={201: {"model": InterviewOut}, **ERRORS},
    summary="Start an interview with a story",
)
async def start_interview(body: StartIn, person: Person) -> JSONResponse:
    """Read the story, and return what was understood and the first question."""
    state = await run_in_threadpool(interviews.start, body.story, person=person)
    where = {"Location": f"/api/v1/interviews/{state.id}"}
    return JSONResponse(interview_json(state), status_code=201, headers=where)


@router.get(
    "/interviews/{interview_id}",
    responses={200: {"model": InterviewOut}, **ERRORS},
    summary="The interview as it stands",
)
async def get_interview(interview_id: str, person: Person) -> JSONResponse:
    """What was understood and the current question (null when done)."""
    state = await run_in_threadpool(interviews.current, interview_id, person=person)
    return JSONResponse(interview_json(state))


@router.post(
    "/interviews/{interview_id}/answers",
    responses={200: {"model": InterviewOut}, **ERRORS},
    summary="Answer the current question",
)
async def answer_question(interview_id: str, body: AnswersIn, person: Person) -> JSONResponse:
    """Answer every item (null = don't know); returns the next question, or done."""
    state = await run_in_threadpool(
        interviews.answer, interview_id, body.answers, question_id=body.question, person=person
    )
    return JSONResponse(interview_json(state))


@router.post(
    "/interviews/{interview_id}/undo",
    responses={200: {"model": InterviewOut}, **ERRORS},
    summary="Take back the last answer",
)
async def undo_answer(interview_id: str, person: Person) -> JSONResponse:
    """The previous question again."""
    state = await run_in_threadpool(interviews.undo, interview_id, person=person)
    return JSONResponse(interview_json(state))


@router.post(
    "/interviews/{interview_id}/understood",
    responses={200: {"model": InterviewOut}, **ERRORS},
    summary="Correct what was read from the story",
)
async def correct_story(interview_id: str, body: CorrectionsIn, person: Person) -> JSONResponse:
    """Remove findings, or flip a yes to a no (and back), before the first answer."""
    state = await run_in_threadpool(
        interviews.correct, interview_id, remove=body.remove, flip=body.flip, person=person
    )
    return JSONResponse(interview_json(state))


@router.get(
    "/interviews/{interview_id}/result",
    responses={200: {"model": ResultOut}, **ERRORS},
    summary="The result on the answers so far",
)
async def get_result(interview_id: str, person: Person) -> Response:
    """The object `backstride check --json` prints: triage, causes, evidence, sources."""

    def read() -> str | dict[str, Any]:
        # a finished interview's result is sent as it was saved; otherwise it is worked out
        saved = interviews.saved_result_json(interview_id, person=person)
        return saved if saved is not None else interviews.result(interview_id, person=person).data

    found = await run_in_threadpool(read)
    if isinstance(found, str):
        return Response(found, media_type="application/json")
    return JSONResponse(found)


# --- the plan -----------------------------------------------------------------------------------

Days = Annotated[int, Query(ge=1, le=7, description="Training days a week.")]
Kit = Annotated[
    list[str] | None,
    Query(description="Equipment at hand, repeated or comma-separated; a mat is assumed."),
]
Athlete = Annotated[Literal["runner", "triathlete"] | None, Query()]
Start = Annotated[date | None, Query(description="First day of the calendar (YYYY-MM-DD).")]


def _plan(
    interview_id: str, person: str, days: int, equipment: list[str] | None, athlete: str | None
) -> Plan:
    return plans.interview_plan(interview_id, plans.settings(days, equipment, athlete), key=person)


@router.get(
    "/interviews/{interview_id}/plan",
    responses={200: {"model": PlanOut}, **ERRORS},
    tags=["plan"],
    summary="The plan for the interview's result",
)
def get_plan(
    interview_id: str,
    person: Person,
    days: Days = 3,
    equipment: Kit = None,
    athlete: Athlete = None,
) -> dict[str, Any]:
    """The object `backstride plan --json` prints for this assessment."""
    return _plan(interview_id, person, days, equipment, athlete).to_json()


EXPORTS = {
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def export_response(plan: Any, fmt: str, start: date | None) -> Response:
    """The plan as a file: PDF, calendar, Markdown or a standalone HTML page."""
    from backstride.clock import today
    from backstride.plan.exercises import load_exercise_library

    library = load_exercise_library()
    first = start or today()
    data: bytes | str
    if fmt == "pdf":
        from backstride.plan.export.pdf import render_pdf

        data = render_pdf(plan, library, created=first)
    elif fmt == "ics":
        from backstride.plan.export.ics import render_ics

        data = render_ics(plan, first)
    elif fmt == "md":
        from backstride.plan.export.markdown import render_markdown

        data = render_markdown(plan, library)
    elif fmt == "html":
        from backstride.plan.export.html import render_html

        data = render_html(plan, library)
    else:
        raise ApiError(404, "not_found", f"no export '{fmt}' (pdf, ics, md or html)")
    disposition = "inline" if fmt == "html" else f'attachment; filename="backstride-plan.{fmt}"'
    return Response(data, media_type=EXPORTS[fmt], headers={"Content-Disposition": disposition})


def _export_route(fmt: str) -> None:
    def export(
        interview_id: str,
        person: Person,
        days: Days = 3,
        equipment: Kit = None,
        athlete: Athlete = None,
        start: Start = None,
    ) -> Response:
        plan = _plan(interview_id, person, days, equipment, athlete)
        return export_response(plan, fmt, start)

    export.__doc__ = f"The plan as {fmt.upper()}."
    router.add_api_route(
        f"/interviews/{{interview_id}}/plan.{fmt}",
        export,
        methods=["GET"],
        tags=["plan"],
        summary=f"The plan as {fmt.upper()}",
        name=f"plan_{fmt}",
        response_class=Response,
        responses={200: {"content": {EXPORTS[fmt].split(";")[0]: {}}}, **ERRORS},
    )


for _fmt in EXPORTS:
    _export_route(_fmt)
