"""Interviews that live in the database: the web app's way through the questions.

An interview row keeps the story, what the reader found in it (after the person's corrections),
the findings to ask early, the knowledge-base version, and each answered question in order. The
engine's :class:`~backstride.engine.interview.Interview` is rebuilt from them on each request,
so any worker process can serve any request and a restart loses nothing.

Rebuilding replays every answer, which costs a few milliseconds per question; each process keeps
the interviews it served lately and replays only what changed since (answers given or undone
through another process), so a request costs one step. The cache never decides anything: a
miss rebuilds from the database, and a cached interview is used only when its answers are a
prefix of the stored ones. Every change moves the interview's revision on (compare-and-set),
so a cached interview made at the stored revision is the stored state, and then the answers
are not read at all: an answer costs one query for the person and the interview, the revision
update and the new step.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backstride.clock import now
from backstride.errors import BackstrideError, EvidenceError, InputError
from backstride.inputs import name_some, printable
from backstride.recovery.assessments import versions
from backstride.recovery.workspace import LOCAL_PERSON, person_session, saved_where, store_session
from backstride.store import records as rec

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from backstride.engine.assessment import Assessment
    from backstride.engine.interview import Interview, Question
    from backstride.kb import KnowledgeBase
    from backstride.reader import Mention
    from backstride.store.models import InterviewRow, InterviewStepRow

MAX_STORY_CHARS = 100_000  # the reader's own limit (reader.MAX_CHARS): nothing is left unread
CACHED = 256  # interviews kept per process


class NotFound(BackstrideError):
    """No such interview for this person (another person's is not found either)."""


class Conflict(BackstrideError):
    """The request does not fit the interview's state (it is over, started, or changed)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class BadAnswers(InputError):
    """Answers that name unknown findings, or that do not fit the current question."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Understood:
    """One finding read from the story, as the person sees it on "what I understood"."""

    id: str
    present: bool
    text: str  # the story's own words
    uncertain: bool  # mentioned unsurely: it will be asked
    corrected: bool = False  # the person flipped it

    def to_json(self) -> dict[str, Any]:
        """The shape of shared/contract/api.md."""
        return {
            "id": self.id,
            "present": self.present,
            "text": self.text,
            "uncertain": self.uncertain,
            "corrected": self.corrected,
        }


@dataclass(frozen=True, slots=True)
class InterviewState:
    """Where an interview stands: what was understood, the next question (None when done)."""

    id: str
    story: str
    understood: tuple[Understood, ...]
    question: Question | None
    question_id: str | None
    questions_asked: int
    revision: int

    @property
    def done(self) -> bool:
        """True once the interview's stop rule has ended it."""
        return self.question is None

    @property
    def can_undo(self) -> bool:
        """True when there is an answered question to take back."""
        return self.questions_asked > 0

    @property
    def started(self) -> bool:
        """True once a question was answered (the story can no longer be corrected)."""
        return self.questions_asked > 0

    def story_words(self, finding: str) -> str | None:
        """The story's words for a finding, if it was read from the story."""
        return next((u.text for u in self.understood if u.id == finding), None)


# --- rebuilding ---------------------------------------------------------------------------------


def _kb() -> KnowledgeBase:
    from backstride.kb import default_knowledge_base

    return default_knowledge_base()


def _story_evidence(row: InterviewRow) -> Any:
    from backstride.engine.evidence import Answer, Evidence, Origin

    return Evidence(
        {f: Answer(bool(a["value"]), Origin(a["origin"])) for f, a in row.evidence.items()}
    )


def _story_key(row: InterviewRow) -> str:
    data = json.dumps([row.evidence, row.uncertain], sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass(slots=True)
class _Cached:
    story_key: str
    revisions: list[int]  # the revision of each answered step the interview holds
    interview: Interview
    at_revision: int = -1  # the interview's revision this entry was kept at (-1: not kept)


_cache: OrderedDict[str, _Cached] = OrderedDict()
_lock = threading.Lock()


def _take(public_id: str) -> _Cached | None:
    # Taken out while in use: two threads never share one mutable Interview.
    with _lock:
        return _cache.pop(public_id, None)


def _keep(public_id: str, entry: _Cached, revision: int) -> None:
    """Keep an entry that is the stored state at ``revision`` (call after the commit)."""
    entry.at_revision = revision
    with _lock:
        _cache[public_id] = entry
        while len(_cache) > CACHED:
            _cache.popitem(last=False)


def forget_cached() -> None:
    """Drop every cached interview (tests, and after `forget`)."""
    with _lock:
        _cache.clear()


def _rebuild(
    session: Session, row: InterviewRow, steps: list[InterviewStepRow] | None = None
) -> _Cached:
    """The engine's interview at the stored state: from the cache, replaying what changed.
    ``steps`` are the stored steps when the caller read them; else they are read only when the
    cached interview is not at the stored revision."""
    from backstride.engine.interview import Interview

    if row.kb_version != versions()[1]:
        raise Conflict(
            "interview_outdated",
            "this interview began on another version of the knowledge base: start a new one",
        )
    key = _story_key(row)
    entry = _take(row.public_id)
    if entry is not None and entry.story_key == key:
        if steps is None and entry.at_revision == row.revision:
            return entry  # nothing changed since this process kept it
        if steps is None:
            steps = rec.interview_steps(session, row)
        wanted = [s.revision for s in steps]
        shared = 0
        for a, b in zip(entry.revisions, wanted, strict=False):
            if a != b:
                break
            shared += 1
        for _ in range(len(entry.revisions) - shared):
            entry.interview.back()
        del entry.revisions[shared:]
    else:
        if steps is None:
            steps = rec.interview_steps(session, row)
        interview = Interview(_kb(), _story_evidence(row), tuple(row.uncertain))
        entry = _Cached(key, [], interview)
    try:
        for step in steps[len(entry.revisions) :]:
            entry.interview.answer(dict(step.answers))
            entry.revisions.append(step.revision)
    except EvidenceError:
        raise Conflict(
            "interview_unreadable", "this interview's answers no longer fit: start a new one"
        ) from None
    return entry


def _understood(row: InterviewRow) -> tuple[Understood, ...]:
    out = []
    for item in row.understood:
        fid = str(item["id"])
        fix = row.corrections.get(fid)
        if fix == "removed":
            continue
        present = bool(item["present"])
        out.append(
            Understood(
                fid,
                not present if fix == "flipped" else present,
                str(item.get("text", "")),
                bool(item.get("uncertain", False)),
                fix == "flipped",
            )
        )
    return tuple(out)


def _state(row: InterviewRow, entry: _Cached) -> InterviewState:
    interview = entry.interview
    question = interview.next_question()
    asked = interview.questions_asked
    return InterviewState(
        id=row.public_id,
        story=row.story,
        understood=_understood(row),
        question=question,
        question_id=None if question is None else f"q{asked + 1}-{question.id}",
        questions_asked=asked,
        revision=row.revision,
    )


@contextmanager
def _interview(person: str, public_id: str) -> Iterator[tuple[Session, InterviewRow]]:
    """A unit of work on the person's interview (NotFound when it is not theirs)."""
    with store_session(person) as session:
        row = rec.find_owned_interview(session, person, public_id)
        if row is None:
            raise NotFound(f"no interview '{printable(public_id)[:40]}'")
        yield session, row


# --- the steps ----------------------------------------------------------------------------------


def start(story: str, *, person: str = LOCAL_PERSON) -> InterviewState:
    """Read the story and begin an interview (InputError for a story that is too long)."""
    from backstride.engine.interview import Interview

    if len(story) > MAX_STORY_CHARS:
        raise BadAnswers(
            "story_too_long",
            f"the story has {len(story):,} characters; at most {MAX_STORY_CHARS:,} are read",
        )
    understood: list[dict[str, Any]] = []
    evidence: dict[str, dict[str, Any]] = {}
    uncertain: list[str] = []
    if story.strip():
        from backstride.reader import read_story

        reading = read_story(story)
        first: dict[str, Mention] = {}
        for m in reading.mentions:
            first.setdefault(m.id, m)
        for fid, answer in reading.evidence().items():
            evidence[fid] = {"value": answer.value, "origin": answer.origin.value}
            words = first[fid].text if fid in first else ""
            understood.append({"id": fid, "present": answer.value, "text": words})
        uncertain = list(reading.uncertain_ids())
        for fid in uncertain:
            unsure = first.get(fid)
            understood.append(
                {
                    "id": fid,
                    "present": bool(unsure.present) if unsure else True,
                    "text": unsure.text if unsure else "",
                    "uncertain": True,
                }
            )
    engine_version, kb_version = versions()
    interview = Interview(_kb(), _story_evidence_from(evidence), tuple(uncertain))
    with person_session(person) as (session, who):
        row = rec.add_interview(
            session,
            who,
            public_id=secrets.token_urlsafe(16),
            at=now(),
            story=story,
            understood=understood,
            evidence=evidence,
            uncertain=uncertain,
            kb_version=kb_version,
            engine_version=engine_version,
        )
        entry = _Cached(_story_key(row), [], interview)
        state = _state(row, entry)
    _keep(row.public_id, entry, row.revision)
    return state


def _story_evidence_from(evidence: dict[str, dict[str, Any]]) -> Any:
    from backstride.engine.evidence import Answer, Evidence, Origin

    return Evidence({f: Answer(bool(a["value"]), Origin(a["origin"])) for f, a in evidence.items()})


def current(public_id: str, *, person: str = LOCAL_PERSON) -> InterviewState:
    """The interview as it stands (NotFound when it is not this person's)."""
    with _interview(person, public_id) as (session, row):
        entry = _rebuild(session, row)
        state = _state(row, entry)
    _keep(public_id, entry, row.revision)
    return state


def correct(
    public_id: str,
    *,
    remove: list[str] | None = None,
    flip: list[str] | None = None,
    person: str = LOCAL_PERSON,
) -> InterviewState:
    """Correct what was read from the story, before the first answer: drop findings, or turn a
    yes into a no (and back). A correction is the person's own answer, so it counts in full."""
    remove, flip = list(remove or []), list(flip or [])
    with _interview(person, public_id) as (session, row):
        if rec.interview_steps(session, row):
            raise Conflict(
                "interview_started",
                "the questions have begun: undo back to the first one to correct the story",
            )
        read = {str(i["id"]) for i in row.understood if not i.get("uncertain")}
        unknown = [f for f in [*remove, *flip] if f not in read]
        if unknown:
            raise BadAnswers(
                "not_understood",
                f"not read from the story: {name_some(printable(f) for f in unknown)}",
            )
        evidence = {f: dict(a) for f, a in row.evidence.items()}
        corrections = dict(row.corrections)
        for fid in flip:
            if corrections.get(fid) == "removed":
                continue
            original = next(bool(i["present"]) for i in row.understood if i["id"] == fid)
            flipped = corrections.get(fid) != "flipped"
            evidence[fid] = {
                "value": not original if flipped else original,
                "origin": "asked" if flipped else "story",
            }
            if flipped:
                corrections[fid] = "flipped"
            else:
                corrections.pop(fid, None)
        for fid in remove:
            evidence.pop(fid, None)
            corrections[fid] = "removed"
        rec.claim_revision(session, row, at=now())
        row.evidence = evidence
        row.corrections = corrections
        entry = _rebuild(session, row, [])
        state = _state(row, entry)
    _keep(public_id, entry, row.revision)
    return state


def answer(
    public_id: str,
    answers: Mapping[str, bool | None],
    *,
    question_id: str | None = None,
    person: str = LOCAL_PERSON,
) -> InterviewState:
    """Answer the current question: every item yes (True), no (False) or don't know (None).

    BadAnswers names unknown findings, items not in the question and items left out; Conflict
    when the interview is over or moved on (``question_id`` names the question answered).
    """
    kb = _kb()
    unknown = [f for f in answers if f not in kb.finding_index]
    if unknown:
        raise BadAnswers(
            "unknown_findings",
            f"unknown finding id(s): {name_some(printable(f) for f in unknown)}",
        )
    with _interview(person, public_id) as (session, row):
        entry = _rebuild(session, row)
        state = _state(row, entry)
        question = state.question
        if question is None:
            raise Conflict("interview_done", "the interview is over: ask for the result")
        if question_id is not None and question_id != state.question_id:
            raise Conflict(
                "question_changed",
                f"that question was answered already; the current one is {state.question_id}",
            )
        asked = [i.finding for i in question.items]
        extra = [f for f in answers if f not in asked]
        if extra:
            raise BadAnswers(
                "not_in_question",
                f"not part of the current question: {name_some(extra)} "
                f"(it asks about {name_some(asked)})",
            )
        missing = [f for f in asked if f not in answers]
        if missing:
            raise BadAnswers(
                "missing_answers",
                "answer every item of the question (null for don't know): "
                f"{name_some(missing)} left out",
            )
        given = {f: answers[f] for f in asked}
        # The engine's work comes before the first write, so that the write transaction (one
        # writer at a time on SQLite) is held only for two statements and the commit. A failed
        # write drops the interview from this process's cache (it was taken out above).
        entry.interview.answer(given)
        finished = None
        if entry.interview.next_question() is None:
            assessment = entry.interview.assessment()
            saved = bool(assessment.evidence)
            finished = assessment, result_json(assessment, saved, row.public_id)
        at = now()
        rec.claim_revision(session, row, at=at)
        rec.add_interview_step(
            session,
            row,
            position=len(entry.revisions),
            question=question.id,
            answers=given,
            at=at,
        )
        entry.revisions.append(row.revision)
        state = _state(row, entry)
        if finished is not None:
            _save_result(session, person, row, *finished)
    # Kept only once the answer is committed: a failed write leaves no trace in the cache.
    _keep(public_id, entry, row.revision)
    return state


def undo(public_id: str, *, person: str = LOCAL_PERSON) -> InterviewState:
    """Take back the last answered question: that question is asked again."""
    with _interview(person, public_id) as (session, row):
        steps = rec.interview_steps(session, row)
        if not steps:
            raise Conflict("nothing_to_undo", "no question has been answered yet")
        rec.claim_revision(session, row, at=now())
        rec.drop_last_interview_step(session, row, steps[-1].position)
        entry = _rebuild(session, row, steps[:-1])
        state = _state(row, entry)
    _keep(public_id, entry, row.revision)
    return state


# --- the result ---------------------------------------------------------------------------------


def result_json(assessment: Assessment, saved: bool, public_id: str) -> dict[str, Any]:
    """What `backstride check --json` prints for this assessment, with the web app's summary."""
    from backstride.explain import result_summary

    return {
        **assessment.to_dict(),
        "summary": result_summary(
            assessment,
            _kb(),
            next_step=f"/api/v1/interviews/{public_id}/plan" if saved else None,
            saved_to=saved_where() if saved else None,
        ),
    }


def _save_result(
    session: Session, person: str, row: InterviewRow, assessment: Assessment, data: dict[str, Any]
) -> None:
    """Keep a finished interview's result (``data``: its :func:`result_json`) as an assessment
    (as `backstride check` does), once: finishing again after an undo replaces it. A result
    with no answers is not kept as an assessment."""
    row.result, row.result_revision = data, row.revision
    if not assessment.evidence:
        return
    who = rec.find_person(session, person)  # the interview's own person: it was found by key
    if who is None or who.id != row.person_id:
        raise NotFound(f"no interview '{printable(row.public_id)[:40]}'")
    plain = assessment.to_dict()
    at = now()
    if row.assessment_id is not None and rec.replace_assessment_result(
        session, who, row.assessment_id, plain, at=at
    ):
        return
    engine_version, kb_version = versions()
    saved_row = rec.add_assessment(
        session,
        who,
        result=plain,
        at=at,
        origin="web",
        story=row.story or None,
        engine_version=engine_version,
        kb_version=kb_version,
    )
    row.assessment_id = saved_row.id


@dataclass(frozen=True, slots=True)
class Result:
    """An interview's result: the assessment (None when it was read back from the database),
    its JSON, and whether the interview is over."""

    state: InterviewState
    data: dict[str, Any]
    assessment: Assessment | None


def saved_result_json(public_id: str, *, person: str = LOCAL_PERSON) -> str | None:
    """A finished interview's result as the JSON text it was saved as (what :func:`result`
    returns as ``data``, in one query, nothing decoded); None when there is no such saved result
    (the interview is under way or changed since, or is not found): :func:`result` then says."""
    with store_session(person) as session:
        return rec.saved_result_text(session, person, public_id)


def result(public_id: str, *, person: str = LOCAL_PERSON, need_assessment: bool = False) -> Result:
    """The result on the answers so far. Once the interview is over its result is read from the
    database as it was saved (no rebuild); before that it is computed on the answers so far."""
    with _interview(person, public_id) as (session, row):
        if row.result is not None and row.result_revision == row.revision and not need_assessment:
            # saved when the interview ended, and nothing changed since: it is over
            state = InterviewState(
                id=row.public_id,
                story=row.story,
                understood=_understood(row),
                question=None,
                question_id=None,
                questions_asked=int(row.result.get("questions_asked", 0)),
                revision=row.revision,
            )
            return Result(state, row.result, None)
        entry = _rebuild(session, row)
        state = _state(row, entry)
        assessment = entry.interview.assessment()
        saved = state.done and row.assessment_id is not None
        data = result_json(assessment, saved, public_id)
    _keep(public_id, entry, row.revision)
    return Result(state, data, assessment)
